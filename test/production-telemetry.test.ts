import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Activity } from 'botbuilder';
import { translator } from '../src/core/knowledge/locales';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, installInTeam, post, teamsMessage } from './helpers/http';
import { Child, freePort, runNode, stopChild, waitForOutput } from './helpers/processes';
import { httpsListener, LoopbackCertificate, loopbackCertificate } from './helpers/tls';

// Application Insights through @azure/monitor-opentelemetry, against a local ingestion endpoint on loopback (the
// connection string's IngestionEndpoint) that keeps every envelope the bot's process sends. The exporter only
// speaks HTTPS: the endpoint uses a throw-away self-signed certificate (test/helpers/tls.ts), trusted by the bot's
// process through NODE_EXTRA_CA_CERTS.

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'dist/src/server/index.js');
const MARKER = 'ZEBRA-MARKER-4711';
const TEAM = '19:helpdesk-team@thread.tacv2';

interface Envelope {
  name: string;
  tags?: Record<string, string>;
  data?: {
    baseType?: string;
    baseData?: { name?: string; id?: string; message?: string; properties?: Record<string, string>; metrics?: { name: string }[] };
  };
}

/** The bot's environment with telemetry pointed at the local ingestion endpoint. */
function telemetryEnv(port: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    PORT: String(port),
    STORAGE: 'memory',
    LOG_LEVEL: 'info',
    APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=${ingestion.url};LiveEndpoint=${ingestion.url}`,
    // The exporter's own usage reports go to Microsoft, not to the connection string's endpoint.
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
    NODE_EXTRA_CA_CERTS: certificate.certPath,
    ...extra,
  };
}

const spansOf = (envelopes: Envelope[]): Envelope[] =>
  envelopes.filter((e) => e.data?.baseType === 'RemoteDependencyData' || e.data?.baseType === 'RequestData');

/**
 * Installs the bot in the helpdesk team, then a Spanish user asks for a person, describes the problem (with the
 * marker) and answers what is missing: returns the ticket id the bot gives.
 */
async function escalate(url: string, conversation: string): Promise<string | undefined> {
  expect((await post(`${url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);
  const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
    expect((await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', payload))).status).toBe(200);
    return connector.takeFrom(conversation);
  };
  await say({ text: 'Se alcanzó el límite de dispositivos en mi iPhone' });
  expect(visibleText((await say({ text: 'hablar con una persona' }))[0])).toContain(translator('es')('escalation.confirmTitle'));
  await say({ text: 'sí' });
  let replies = await say({ text: `Necesito el móvil para un viaje el lunes ${MARKER}` });
  const question = (rs: Partial<Activity>[]): Partial<Activity> | undefined =>
    rs.find((a) => buttons(a).some((b) => (b.data as { action?: string })?.action === 'answer'));
  for (let i = 0; i < 5 && question(replies); i++) {
    replies = await say({ value: buttonData(question(replies), (d) => d.answer === 'company-portal' || d.answer === 'dontknow') });
  }
  return /IOS-\d+/.exec(replies.find((a) => /IOS-\d+/.test(a.text ?? ''))?.text ?? '')?.[0];
}

let dir = '';
let certificate: LoopbackCertificate;
const ingestion = {
  listener: undefined as Awaited<ReturnType<typeof httpsListener>> | undefined,
  url: '',
  envelopes: [] as Envelope[],
  bodies: [] as string[],
};
const connector = new FakeConnector();
const children: Child[] = [];

beforeAll(async () => {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "npm run build" first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-test-'));
  certificate = loopbackCertificate(dir);
  ingestion.listener = await httpsListener(certificate, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const text = body.toString('utf8');
      ingestion.bodies.push(text);
      let items: Envelope[] = [];
      try {
        const parsed = JSON.parse(text) as Envelope | Envelope[];
        items = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        items = text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Envelope);
      }
      if (req.url?.includes('/track')) ingestion.envelopes.push(...items);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  ingestion.url = ingestion.listener.url;
  await connector.start();
});

afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await connector.stop();
  await ingestion.listener?.close();
  for (const c of children) fs.rmSync(c.cwd, { recursive: true, force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)', () => {
  it('off by default: neither OpenTelemetry nor the Azure Monitor SDK is loaded (turns, storage, escalations, deliveries)', () => {
    const script = `
      const { startTelemetry } = require('./dist/src/bot/telemetry');
      const { createApp } = require('./dist/src/server/app');
      const { readConfig } = require('./dist/src/bot/config');
      const config = readConfig({ STORAGE: 'memory', PORT: '0' });
      startTelemetry(config.applicationInsightsConnectionString);
      createApp(config);
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
    // prom-client (GET /metrics) requires the OpenTelemetry API, the no-op façade (for exemplars); nothing beyond it loads.
    expect(loaded.filter((m) => /@opentelemetry\/(?!api\/)|monitor-opentelemetry/.test(m))).toEqual([]);
  });

  it('off by default in the running server: an escalation and its deliveries load nothing of OpenTelemetry', async () => {
    // A module preloaded into the bot's process writes the modules it has loaded when the process exits.
    const probe = path.join(dir, 'modules-at-exit.js');
    const loadedFile = path.join(dir, 'modules-loaded.json');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loadedFile)}, JSON.stringify(Object.keys(require.cache))));`,
    );
    const port = await freePort();
    const bot = runNode('telemetry-off-bot', ['--require', probe, SERVER], {
      PATH: process.env.PATH,
      PORT: String(port),
      STORAGE: 'memory',
      HELPDESK_TEAM_ID: TEAM,
    });
    children.push(bot);
    const cardsBefore = connector.created.length;
    try {
      await waitForOutput(bot, /Bot ready on/);
      expect(await escalate(`http://127.0.0.1:${port}`, 'conv-telemetry-off')).toMatch(/^IOS-\d+$/);
      // The ticket card reached the helpdesk channel: the outbox delivered.
      await eventually(() => connector.created.length > cardsBefore, 15_000);
    } finally {
      await stopChild(bot);
    }
    const loaded = JSON.parse(fs.readFileSync(loadedFile, 'utf8')) as string[];
    expect(loaded.some((m) => m.includes(`${path.sep}dialogs${path.sep}escalationDialog.js`))).toBe(true);
    // As above: only the OpenTelemetry API façade that prom-client requires; no SDK, no exporter, no instrumentation.
    expect(loaded.filter((m) => /@opentelemetry\/(?!api\/)|monitor-opentelemetry/.test(m))).toEqual([]);
  }, 60_000);

  it('on: one span per turn with the correlation id of the logs, storage calls as child spans, metrics and logs; no message text', async () => {
    const port = await freePort();
    const bot = runNode('telemetry-bot', [SERVER], telemetryEnv(port));
    children.push(bot);
    await waitForOutput(bot, /Bot ready on/);
    const url = `http://127.0.0.1:${port}`;
    const res = await post(
      `${url}/api/messages`,
      teamsMessage(connector.url, 'conv-telemetry', 'es-ES', { text: `mi iPhone dice que se alcanzó el límite de dispositivos ${MARKER}` }),
    );
    expect(res.status).toBe(200);
    expect(connector.received.some((a) => a.conversationId === 'conv-telemetry')).toBe(true);
    const turnLog = await waitForOutput(bot, /"correlationId":"(\w+)"[^\n]*"msg":"turn"/);
    const correlationId = turnLog[1]!;
    // SIGTERM: the bot finishes, and flushes what telemetry it still holds before it exits.
    await stopChild(bot);

    const spans = spansOf(ingestion.envelopes);
    const turn = spans.find(
      (e) => e.data?.baseData?.name === 'bot turn' && e.data.baseData.properties?.['bot.correlation_id'] === correlationId,
    );
    expect(turn).toBeDefined();
    expect(turn!.data!.baseData!.properties).toMatchObject({
      'bot.activity.type': 'message',
      'bot.channel': 'msteams',
      'bot.outcome': 'ok',
    });
    // The storage calls of that turn are its children (same operation, parent = the turn span).
    const operation = turn!.tags!['ai.operation.id'];
    const children_ = spans.filter((e) => e.tags?.['ai.operation.parentId'] === turn!.data!.baseData!.id);
    expect(children_.some((e) => /^storage (read|write)$/.test(e.data?.baseData?.name ?? ''))).toBe(true);
    expect(children_.every((e) => e.tags?.['ai.operation.id'] === operation)).toBe(true);
    // The incoming HTTP request is traced too, and the turn belongs to it.
    expect(spans.some((e) => e.data?.baseType === 'RequestData' && e.tags?.['ai.operation.id'] === operation)).toBe(true);
    // Metrics and logs.
    const metricNames = ingestion.envelopes.flatMap((e) =>
      e.data?.baseType === 'MetricData' ? (e.data.baseData?.metrics ?? []).map((m) => m.name) : [],
    );
    expect(metricNames).toEqual(expect.arrayContaining(['bot.turns', 'bot.turn.duration']));
    expect(
      ingestion.envelopes.some(
        (e) =>
          e.data?.baseType === 'MessageData' &&
          e.data.baseData?.message === 'turn' &&
          e.data.baseData.properties?.['bot.correlation_id'] === correlationId,
      ),
    ).toBe(true);
    // Nothing the user typed.
    expect(ingestion.bodies.join('\n')).not.toContain(MARKER);
    expect(ingestion.bodies.join('\n')).not.toContain('límite de dispositivos');
  }, 60_000);

  it('on: a ticket creation is a child span of the turn that escalates; each delivery is a span of its own with kind, ticket and outcome', async () => {
    // The ITSM webhook refuses the first delivery: its span says "retry", the next one "delivered".
    let webhookCalls = 0;
    const webhook = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        webhookCalls++;
        res.writeHead(webhookCalls === 1 ? 503 : 200);
        res.end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const envelopesBefore = ingestion.envelopes.length;
    const port = await freePort();
    const bot = runNode(
      'telemetry-escalation-bot',
      [SERVER],
      telemetryEnv(port, {
        HELPDESK_TEAM_ID: TEAM,
        ESCALATION_WEBHOOK_URL: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/tickets`,
        DELIVERY_RETRY_BASE_MS: '100',
      }),
    );
    children.push(bot);
    try {
      await waitForOutput(bot, /Bot ready on/);
      expect(await escalate(`http://127.0.0.1:${port}`, 'conv-telemetry-escalation')).toMatch(/^IOS-\d+$/);
      // The card reaches the helpdesk channel and the webhook is delivered on its second attempt.
      await eventually(() => connector.created.length > 0 && webhookCalls >= 2, 15_000);
    } finally {
      await stopChild(bot);
      await new Promise<void>((resolve) => webhook.close(() => resolve()));
    }

    const spans = spansOf(ingestion.envelopes.slice(envelopesBefore));
    const byId = new Map(spans.map((e) => [e.data?.baseData?.id, e]));
    const create = spans.find((e) => e.data?.baseData?.name === 'ticket create');
    expect(create).toBeDefined();
    const ticketId = create!.data!.baseData!.properties?.['bot.ticket.id'];
    expect(ticketId).toMatch(/^IOS-\d+$/);
    expect(create!.data!.baseData!.properties).toMatchObject({ 'bot.outcome': 'ok', 'bot.escalation.reason': 'asked' });
    // Its parent is the turn that escalated, in the same operation.
    const parent = byId.get(create!.tags?.['ai.operation.parentId']);
    expect(parent?.data?.baseData?.name).toBe('bot turn');
    expect(parent?.data?.baseData?.properties?.['bot.activity.type']).toBe('message');
    expect(create!.tags?.['ai.operation.id']).toBe(parent!.tags?.['ai.operation.id']);

    // Deliveries: each the root of an operation of its own (no parent), not part of any incoming request's.
    const deliveries = spans.filter((e) => /^delivery /.test(e.data?.baseData?.name ?? ''));
    const incoming = new Set(spans.filter((e) => e.data?.baseData?.name === 'POST /api/messages').map((e) => e.tags?.['ai.operation.id']));
    expect(incoming.has(create!.tags?.['ai.operation.id'])).toBe(true);
    for (const d of deliveries) {
      expect(d.data?.baseType).toBe('RequestData');
      expect(d.tags?.['ai.operation.parentId']).toBeUndefined();
      expect(incoming.has(d.tags?.['ai.operation.id'])).toBe(false);
      expect(d.data?.baseData?.properties?.['bot.ticket.id']).toBe(ticketId);
    }
    const outcomes = (kind: string): string[] =>
      deliveries
        .filter((d) => d.data?.baseData?.properties?.['bot.delivery.kind'] === kind)
        .map((d) => `${d.data!.baseData!.properties!['bot.delivery.attempt']}:${d.data!.baseData!.properties!['bot.outcome']}`);
    expect(outcomes('channel-post')).toEqual(['1:delivered']);
    expect(outcomes('webhook')).toEqual(['1:retry', '2:delivered']);
    // The card's proactive turn into the helpdesk channel runs inside its delivery: the turn is the delivery's child.
    const post_ = deliveries.find((d) => d.data?.baseData?.name === 'delivery channel-post');
    const proactiveTurn = spans.find(
      (e) => e.data?.baseData?.name === 'bot turn' && e.tags?.['ai.operation.parentId'] === post_?.data?.baseData?.id,
    );
    expect(proactiveTurn?.data?.baseData?.properties).toMatchObject({
      'bot.activity.name': 'ContinueConversation',
      'bot.conversation.type': 'channel',
    });
    // The description the user typed is on the ticket, never in telemetry.
    expect(ingestion.bodies.join('\n')).not.toContain(MARKER);
    expect(ingestion.bodies.join('\n')).not.toContain('viaje el lunes');
  }, 90_000);
});
