import * as fs from 'fs';
import * as path from 'path';
import { Activity, Storage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { cardToText } from '../cards/text';
import { createStorage } from '../src/bot';
import { RecoveringBlobsStorage } from '../src/bot/blobStorage';
import { ConfigError, readConfig } from '../src/bot/config';
import { ResilientStorage, StorageUnavailableError } from '../src/bot/resilientStorage';
import { Outbox } from '../src/core/escalation/outbox';
import { EscalationService } from '../src/core/escalation/service';
import { TicketStore } from '../src/core/escalation/ticketStore';
import { Retention } from '../src/core/retention';
import { translator } from '../src/core/knowledge/locales';
import { ABSENT_ETAG, isEtagConflict } from '../src/core/storage';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, post, teamsMessage, installInTeam, cardAction } from './helpers/http';
import { Child, freePort, runNode, stopChild, waitForOutput } from './helpers/processes';
import { genericErrorStart } from './helpers/storage';
import { draft, expectOneAssignWins } from './helpers/tickets';

// STORAGE=blob against Azurite (the Azure Storage emulator, an npm devDependency) started by this test on a free
// loopback port with in-memory persistence: two real bot processes share one container with no affinity.

const ROOT = path.resolve(__dirname, '..');
const SERVER = path.join(ROOT, 'dist/src/server/index.js');
const TEAM = '19:helpdesk-team@thread.tacv2';
const AGENT = { id: '29:agent-1', name: 'Marco Rossi', aadObjectId: 'aad-agent-1' };
const AGENT_2 = { id: '29:agent-2', name: 'Lucía Pérez' };
/** Azurite's well-known development account (public, documented: not a secret). */
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const connectionString = (port: number): string =>
  `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;

const children: Child[] = [];

/** Starts `node <args>` in a fresh temporary folder (removed in afterAll). */
function run(name: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const handle = runNode(`blob-test-${name}`, args, env);
  children.push({ ...handle, name });
  return children[children.length - 1]!;
}

async function startAzurite(port = 0): Promise<{ child: Child; port: number }> {
  const child = run(
    'azurite',
    [
      path.join(ROOT, 'node_modules/.bin/azurite-blob'),
      ...['--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--extentMemoryLimit', '64'],
      ...['--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry'],
    ],
    { ...process.env },
  );
  const m = await waitForOutput(child, /listens on http:\/\/127\.0\.0\.1:(\d+)/);
  return { child, port: Number(m[1]) };
}

/** `node dist/src/server/index.js` with STORAGE=blob; it prints the configured port, so the port is chosen here. */
async function startBot(name: string, azuritePort: number, container: string): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = run(name, [SERVER], {
    ...process.env,
    PORT: String(port),
    STORAGE: 'blob',
    AZURE_STORAGE_CONNECTION_STRING: connectionString(azuritePort),
    AZURE_STORAGE_CONTAINER: container,
    HELPDESK_TEAM_ID: TEAM,
    LOG_LEVEL: 'warn',
    // Whatever the surrounding environment says: no authentication, no tenant filter, no webhook.
    MicrosoftAppId: '',
    MicrosoftAppPassword: '',
    ALLOWED_TENANT_IDS: '',
    CONVERSATION_LEASE: '',
    ESCALATION_WEBHOOK_URL: '',
    HELPDESK_CHANNEL_ID: '',
    HANDOFF_EVENT: 'off',
    DELIVERY_RETRY_BASE_MS: '100',
  });
  await waitForOutput(child, /Bot ready on http:\/\/localhost:(\d+)\/api\/messages/);
  return { child, url: `http://127.0.0.1:${port}` };
}

const isCard =
  (action: string) =>
  (a: Partial<Activity>): boolean =>
    buttons(a).some((b) => (b.data as { action?: string } | undefined)?.action === action);

// Every child (bots first, then Azurite) is stopped and awaited, so jest exits cleanly.
afterAll(async () => {
  await Promise.all(children.filter((c) => c.name !== 'azurite').map(stopChild));
  await Promise.all(children.map(stopChild));
  for (const c of children) fs.rmSync(c.cwd, { recursive: true, force: true });
}, 30_000);

describe('STORAGE=blob configuration', () => {
  it('needs a connection string, defaults the container to bot-state and rejects invalid container names', () => {
    expect(() => readConfig({ STORAGE: 'blob' })).toThrow(ConfigError);
    expect(() => readConfig({ STORAGE: 'blob' })).toThrow(/AZURE_STORAGE_CONNECTION_STRING/);
    const config = readConfig({ STORAGE: 'blob', AZURE_STORAGE_CONNECTION_STRING: connectionString(10000) });
    expect(config).toMatchObject({ storage: 'blob', azureStorageContainer: 'bot-state' });
    expect(() => readConfig({ STORAGE: 'blob', AZURE_STORAGE_CONNECTION_STRING: 'x', AZURE_STORAGE_CONTAINER: 'Bot_State' })).toThrow(
      /AZURE_STORAGE_CONTAINER/,
    );
  });

  it('the server refuses to start without the connection string, with a clear message', async () => {
    const child = run('no-connection-string', [SERVER], {
      ...process.env,
      PORT: '0',
      STORAGE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: '',
    });
    const code = await new Promise<number | null>((resolve) => child.process.once('exit', resolve));
    expect(code).toBe(1);
    // One message, naming both ways to reach the account and what each is.
    const errors = child
      .output()
      .split('\n')
      .filter((line) => line.includes('STORAGE=blob needs'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      'Configuration error: STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING (the storage account connection string) or AZURE_STORAGE_ACCOUNT_URL (the account URL, with a managed identity)',
    );
  });
});

describe('STORAGE=blob against Azurite', () => {
  const connector = new FakeConnector();
  let azurite: { child: Child; port: number };
  let a: { child: Child; url: string };
  let b: { child: Child; url: string };

  beforeAll(async () => {
    if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run "npm run build" (or npx tsc -p tsconfig.json) first`);
    await connector.start();
    connector.rosters.set(TEAM, new Set([AGENT.id, AGENT_2.id]));
    azurite = await startAzurite();
    [a, b] = await Promise.all([startBot('bot-a', azurite.port, 'bot-state'), startBot('bot-b', azurite.port, 'bot-state')]);
  }, 60_000);

  afterAll(() => connector.stop());

  /** Activities the fake connector received in one conversation (taken out of its list). */
  const takeFor = (conversationId: string): Partial<Activity>[] => {
    return connector.takeFrom(conversationId);
  };

  it('a conversation whose turns alternate between two processes completes: recognition, the question, the cause cards, the outcome', async () => {
    const t = translator('es');
    const conversation = 'conv-alternating';
    const served: string[] = [];
    let turn = 0;
    const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      const bot = turn++ % 2 === 0 ? a : b;
      served.push(bot === a ? 'A' : 'B');
      const res = await post(`${bot.url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', payload));
      expect(res.status).toBe(200);
      return takeFor(conversation);
    };

    let replies = await say({ text: 'mi iPhone dice que no se pudo establecer una conexión con el servidor' });
    expect(replies.map(visibleText).join('\n')).toContain(t('knowledge:symptoms.server-connection-failed.title'));
    // The one question that changes this plan, answered on the other process.
    const question = replies.find(isCard('answer'));
    expect(visibleText(question)).toContain(t('questions.progress', { current: 1, total: 1 }));
    replies = await say({ value: buttonData(question, (d) => d.answer === 'company-portal') });
    let card = replies.find(isCard('outcome'));
    expect(visibleText(card)).toContain(t('knowledge:causes.server-connection-failed.previous-user.title'));
    // "Didn't help" back on the first process: the next cause of the same plan (the answer was read from storage).
    replies = await say({ value: buttonData(card, (d) => d.outcome === 'not-fixed') });
    card = replies.find(isCard('outcome'));
    expect(visibleText(card)).toContain(t('knowledge:causes.server-connection-failed.other-mdm.title'));
    expect(visibleText(card)).toContain(t('cause.progress', { current: 2, total: 5 }));

    // "It works now" on the next process: asked for a rating.
    replies = await say({ value: buttonData(card, (d) => d.outcome === 'fixed') });
    expect(replies.map(visibleText).join('\n')).toContain(t('outcome.rateTitle'));
    expect(served.filter((s) => s === 'A').length).toBeGreaterThanOrEqual(2);
    expect(served.filter((s) => s === 'B').length).toBeGreaterThanOrEqual(2);
  });

  it('a ticket escalated across both processes and assigned on B is seen as assigned on A', async () => {
    const es = translator('es');
    const en = translator('en');
    expect((await post(`${a.url}/api/messages`, installInTeam(connector.url, TEAM))).status).toBe(200);

    // The user escalates, turns alternating between the two processes.
    const conversation = 'conv-ana-blob';
    let turn = 0;
    const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      const bot = turn++ % 2 === 0 ? b : a;
      expect((await post(`${bot.url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', payload))).status).toBe(200);
      return takeFor(conversation);
    };
    await say({ text: 'Se alcanzó el límite de dispositivos en mi iPhone' });
    expect((await say({ text: 'hablar con una persona' })).map(visibleText).join('\n')).toContain(es('escalation.confirmTitle'));
    await say({ text: 'sí' });
    let replies = await say({ text: 'Necesito el móvil para un viaje el lunes' });
    for (let i = 0; i < 5 && !replies.some((x) => /IOS-\d+/.test(x.text ?? '')); i++) {
      const q = replies.find(isCard('answer'));
      replies = await say({ value: buttonData(q, (d) => d.answer === 'company-portal' || d.answer === 'dontknow') });
    }
    const created = replies.find((x) => /IOS-\d+/.test(x.text ?? ''));
    expect(created?.text).toContain(es('escalation.created', { id: '' }).split('**')[0]!);
    const id = /IOS-\d+/.exec(created!.text!)![0];

    // Posted in the helpdesk channel (the team was saved by A; either process may deliver).
    const thread = await eventually(
      () => connector.created.find((c) => cardToText((c.params.activity as Partial<Activity>).attachments![0]!.content).text.includes(id)),
      15_000,
    );
    const posted = cardToText((thread.params.activity as Partial<Activity>).attachments![0]!.content).text;
    expect(posted).toContain('Necesito el móvil para un viaje el lunes');
    expect(posted).toContain('Se alcanzó el límite de dispositivos en mi iPhone');

    // An agent assigns it on B.
    const assign = await post(`${b.url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'assign', { ticket: id }));
    expect(assign.status).toBe(200);
    expect(cardToText((JSON.parse(assign.text) as { value: unknown }).value).text).toContain(
      en('ticket.assignedTo', { name: `<at>${AGENT.name}</at>` }),
    );

    // A refresh on A shows it assigned.
    const refresh = await post(`${a.url}/api/messages`, cardAction(connector.url, TEAM, AGENT, 'refresh', { ticket: id }));
    expect(refresh.status).toBe(200);
    const refreshed = JSON.parse(refresh.text) as { type: string; value: unknown };
    expect(refreshed.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardToText(refreshed.value).text).toContain(`Assigned to <at>${AGENT.name}</at>`);

    // Another agent pressing "Assign to me" on A gets the card as it is: Marco holds it.
    const late = await post(`${a.url}/api/messages`, cardAction(connector.url, TEAM, AGENT_2, 'assign', { ticket: id }));
    expect(cardToText((JSON.parse(late.text) as { value: unknown }).value).text).toContain(`Assigned to <at>${AGENT.name}</at>`);

    // The card in the channel is updated and the user hears it, in Spanish.
    await eventually(() => connector.updated.find((u) => u.conversationId === thread.id), 15_000);
    const toUser = await eventually(() => connector.received.find((x) => x.conversationId === conversation), 15_000);
    expect(toUser.text).toBe(es('escalation.assigned', { id, agent: AGENT.name }));
  });

  it('BlobsStorage honours eTags: a stale eTag fails (as a conflict, through ResilientStorage too), "*" overwrites', async () => {
    const cs = connectionString(azurite.port);
    const one = new BlobsStorage(cs, 'etags');
    const other = new ResilientStorage(new BlobsStorage(cs, 'etags'));
    await one.write({ item: { n: 1, eTag: '*' } });
    const first = (await one.read(['item'])).item!;
    expect(first).toMatchObject({ n: 1, eTag: expect.any(String) });
    await other.write({ item: { n: 2, eTag: first.eTag } });
    const stale = one.write({ item: { n: 3, eTag: first.eTag } });
    await expect(stale).rejects.toThrow(/eTag conflict/);
    expect(isEtagConflict(await stale.catch((e: unknown) => e))).toBe(true);
    const staleThroughWrapper = other.write({ item: { n: 3, eTag: first.eTag } }).catch((e: unknown) => e);
    expect(await staleThroughWrapper).not.toBeInstanceOf(StorageUnavailableError);
    expect(isEtagConflict(await staleThroughWrapper)).toBe(true);
    expect((await other.read(['item'])).item).toMatchObject({ n: 2 });
    await one.write({ item: { n: 4, eTag: '*' } });
    expect((await other.read(['item'])).item).toMatchObject({ n: 4 });
  });

  it('tickets in one container from two "processes": distinct ids, and of simultaneous assigns exactly one wins', async () => {
    const env = { STORAGE: 'blob', AZURE_STORAGE_CONNECTION_STRING: connectionString(azurite.port), AZURE_STORAGE_CONTAINER: 'tickets' };
    const service = (store: Storage): EscalationService => new EscalationService(new TicketStore(store), new Outbox(store, {}));
    const [one, two] = [service(createStorage(readConfig(env))), service(createStorage(readConfig(env)))];
    // Created on both at once: no shared counter, ids from the records, each stored "if absent" (If-None-Match: *).
    const first = await Promise.all([one.create(draft()), two.create(draft())]);
    const more = await Promise.all([one.create(draft()), two.create(draft()), one.create(draft())]);
    const ids = [...first, ...more].map((t) => t.id).sort();
    expect(new Set(ids).size).toBe(5);
    expect((await two.tickets.list()).map((t) => t.id).sort()).toEqual(ids);
    // The same escalation sent to both instances at once (a retry): one ticket.
    const same = draft();
    const twice = await Promise.all([one.create(same), two.create(same)]);
    expect(twice[1].id).toBe(twice[0].id);
    expect(await two.tickets.list()).toHaveLength(6);
    await one.tickets.delete([twice[0].id]);

    for (const ticket of [...first, ...more]) {
      const results = await Promise.all([
        one.assign(ticket.id, { id: '29:marco', name: 'Marco' }),
        two.assign(ticket.id, { id: '29:lucia', name: 'Lucía' }),
      ]);
      expectOneAssignWins(results);
      expect((await one.tickets.get(ticket.id))!.history.map((h) => h.status)).toEqual(['open', 'assigned']);
    }
  });

  it('retention on blobs: two instances sweeping at once delete what is past RETENTION_DAYS, once, without errors', async () => {
    const env = { STORAGE: 'blob', AZURE_STORAGE_CONNECTION_STRING: connectionString(azurite.port), AZURE_STORAGE_CONTAINER: 'retention' };
    const stores = [createStorage(readConfig(env)), createStorage(readConfig(env))];
    const [one, two] = stores.map((s) => new Retention(s, new TicketStore(s), { days: 30 }));
    await stores[0]!.write({ 'msteams/conversations/a/': { x: 1 }, 'msteams/conversations/b/': { x: 2 } });
    one!.touch(['msteams/conversations/a/']);
    two!.touch(['msteams/conversations/b/']);
    await Promise.all([one!.flush(), two!.flush()]);
    const later = Date.now() + 31 * 24 * 60 * 60 * 1000;
    const swept = await Promise.all([one!.sweep(later), two!.sweep(later)]);
    expect(swept.map((r) => r.items).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(2);
    expect(await stores[1]!.read(['msteams/conversations/a/', 'msteams/conversations/b/'])).toEqual({});
  });

  it('"create if absent" on blobs: of simultaneous creates from two instances exactly one wins; accented text round-trips', async () => {
    const cs = connectionString(azurite.port);
    const [one, two] = [
      new ResilientStorage(new RecoveringBlobsStorage(cs, 'absent')),
      new ResilientStorage(new RecoveringBlobsStorage(cs, 'absent')),
    ];
    const text = '¿Qué pasó? Già, perché l’iPhone dice «Impossibile» – ñ';
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).write({ 'leases/x y': { i, text, eTag: ABSENT_ETAG } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isEtagConflict(r.reason)).toBe(true);
    const stored = (await two.read(['leases/x y']))['leases/x y'] as { i: number; text: string; eTag: string };
    expect(stored.text).toBe(text);
    await one.write({ 'leases/x y': { i: 99, text, eTag: stored.eTag } });
    expect((await two.read(['leases/x y']))['leases/x y']).toMatchObject({ i: 99, text });
  });

  it('two messages of one conversation at the same moment, one on each process, many times over: none is lost', async () => {
    const conversation = 'conv-simultaneous';
    const texts = Array.from({ length: 10 }, (_, i) => `Mensaje número ${i + 1}: ¿por qué falla la inscripción?`);
    for (let i = 0; i < texts.length; i += 2) {
      const statuses = await Promise.all([
        post(`${a.url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', { text: texts[i] })),
        post(`${b.url}/api/messages`, teamsMessage(connector.url, conversation, 'es-ES', { text: texts[i + 1] })),
      ]);
      expect(statuses.map((r) => r.status)).toEqual([200, 200]);
    }
    const key = `msteams/conversations/${conversation}/`;
    const state = (await new BlobsStorage(connectionString(azurite.port), 'bot-state').read([key]))[key] as {
      conversationData: { transcript: { from: string; text: string }[] };
    };
    const said = state.conversationData.transcript.filter((e) => e.from === 'user').map((e) => e.text);
    expect([...said].sort()).toEqual([...texts].sort());
    expect(takeFor(conversation).filter((x) => (x.text ?? '').startsWith(genericErrorStart('es')))).toEqual([]);
  });

  it('storage unreachable when the process starts: the turn fails as "storage unavailable", and it recovers once storage is up', async () => {
    const port = await freePort();
    const options = { storagePipelineOptions: { retryOptions: { maxTries: 1 } } };
    const storage = new ResilientStorage(new RecoveringBlobsStorage(connectionString(port), 'recovery', options));
    // botbuilder-azure-blobs 4.23 alone keeps its first failure forever (the reason for RecoveringBlobsStorage).
    const plain = new BlobsStorage(connectionString(port), 'recovery', options);
    await expect(storage.read(['x'])).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(plain.read(['x'])).rejects.toThrow(/ECONNREFUSED/);
    await startAzurite(port);
    await expect(plain.read(['x'])).rejects.toThrow(/ECONNREFUSED/);
    await storage.write({ x: { ok: true, eTag: '*' } });
    expect((await storage.read(['x'])).x).toMatchObject({ ok: true });
  });
});
