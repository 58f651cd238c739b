import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { FakeConnector, post, teamsMessage } from './helpers/http';
import { Child, freePort, runNode, stopChild, waitForOutput } from './helpers/processes';

// Application Insights through @azure/monitor-opentelemetry, against a local ingestion endpoint on loopback (the
// connection string's IngestionEndpoint) that keeps every envelope the bot's process sends. The exporter only
// speaks HTTPS: the endpoint uses a throw-away self-signed certificate made here with openssl, trusted by the bot's
// process through NODE_EXTRA_CA_CERTS.

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'dist/src/server/index.js');
const MARKER = 'ZEBRA-MARKER-4711';

interface Envelope {
  name: string;
  tags?: Record<string, string>;
  data?: {
    baseType?: string;
    baseData?: { name?: string; id?: string; message?: string; properties?: Record<string, string>; metrics?: { name: string }[] };
  };
}

let dir = '';
const ingestion = { server: undefined as unknown as https.Server, url: '', envelopes: [] as Envelope[], bodies: [] as string[] };
const connector = new FakeConnector();
const children: Child[] = [];

beforeAll(async () => {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "npm run build" first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemetry-test-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ].concat(['-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]),
    { stdio: 'ignore' },
  );
  ingestion.server = https.createServer({
    key: fs.readFileSync(path.join(dir, 'key.pem')),
    cert: fs.readFileSync(path.join(dir, 'cert.pem')),
  });
  ingestion.server.on('request', (req, res) => {
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
  await new Promise<void>((resolve) => ingestion.server.listen(0, '127.0.0.1', resolve));
  ingestion.url = `https://127.0.0.1:${(ingestion.server.address() as AddressInfo).port}/`;
  await connector.start();
});

afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await connector.stop();
  await new Promise<void>((resolve) => ingestion.server.close(() => resolve()));
  for (const c of children) fs.rmSync(c.cwd, { recursive: true, force: true });
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING)', () => {
  it('off by default: neither OpenTelemetry nor the Azure Monitor SDK is loaded', () => {
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

  it('on: one span per turn with the correlation id of the logs, storage calls as child spans, metrics and logs; no message text', async () => {
    const port = await freePort();
    const bot = runNode('telemetry-bot', [SERVER], {
      PATH: process.env.PATH,
      PORT: String(port),
      STORAGE: 'memory',
      LOG_LEVEL: 'info',
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=${ingestion.url};LiveEndpoint=${ingestion.url}`,
      // The exporter's own usage reports go to Microsoft, not to the connection string's endpoint.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'),
    });
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

    const spans = ingestion.envelopes.filter((e) => e.data?.baseType === 'RemoteDependencyData' || e.data?.baseType === 'RequestData');
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
});
