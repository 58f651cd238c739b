import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Activity, MemoryStorage, StoreItems } from 'botbuilder';
import { createBot } from '../src/bot';
import { readConfig } from '../src/bot/config';
import { ResilientStorage } from '../src/bot/resilientStorage';
import { translator } from '../src/core/knowledge/locales';
import { createApp } from '../src/server/app';
import { logger } from '../src/core/log';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, post, startApp, stopApp, teamsMessage } from './helpers/http';

/*
 * What an unauthenticated caller can make the HTTP entry point do: every request here reaches the real createApp on
 * a loopback port, and what must hold is what an operator would see (status, memory, disk, the time a request is
 * held, what gets stored).
 */

interface RawResponse {
  status: number;
  text: string;
}

/**
 * A raw request: headers as given (fetch would add or refuse some), the body written after `beforeBody` resolves.
 * The response may come before the body is written: then the rest is never sent.
 */
function rawRequest(
  url: string,
  options: { method?: string; headers: Record<string, string | number>; body?: Buffer | string[]; waitForAnswerFirst?: boolean },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/messages`, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    // The server may close the connection while the body is still being written: the answer is what counts.
    req.on('error', (err) => setTimeout(() => reject(err), 500));
    if (options.waitForAnswerFirst) return req.flushHeaders();
    if (Array.isArray(options.body)) for (const chunk of options.body) req.write(chunk);
    else if (options.body) req.write(options.body);
    req.end();
  });
}

/** A gzip body that inflates to `inflatedBytes` of JSON (an activity with one huge text), built without holding it. */
async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
  const gzip = zlib.createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const finished = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write('{"type":"message","text":"');
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  for (let written = 0; written < inflatedBytes; written += chunk.length) {
    if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end('"}');
  await finished;
  return Buffer.concat(out);
}

const memoryInUse = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const turnErrors = async (url: string): Promise<number> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(text.match(/^bot_turn_errors_total (\d+)$/m)?.[1] ?? 0);
};

describe('HTTP limits of POST /api/messages', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());
  beforeEach(() => connector.take());

  it('a gzip bomb is refused with 415 without being inflated, and the bot keeps serving', async () => {
    const { app, url } = await startApp({});
    try {
      const bomb = await gzipBomb(64 * 1024 * 1024);
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const before = memoryInUse();
      const res = await rawRequest(url, {
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length },
        body: bomb,
      });
      const grown = memoryInUse() - before;
      expect(res.status).toBe(415);
      // Inflating it would have held 64 MiB (and more, as a string and parsed); refusing it holds next to nothing.
      expect(grown).toBeLessThan(16 * 1024 * 1024);
      expect(
        (await post(`${url}/api/messages`, teamsMessage(connector.url, 'after-bomb', 'en-US', { text: 'Device Cap Reached' }))).status,
      ).toBe(200);
      expect(connector.take().length).toBeGreaterThan(0);
    } finally {
      await stopApp(app);
    }
  });

  it('a body over MAX_BODY_BYTES is refused: declared too large before a byte is read, streamed too large as it passes the limit', async () => {
    const { app, url } = await startApp({ MAX_BODY_BYTES: '10000' });
    try {
      // Only the headers are sent: the answer comes without the body.
      const declared = await rawRequest(url, {
        headers: { 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 },
        waitForAnswerFirst: true,
      });
      expect(declared.status).toBe(413);
      // Chunked, no length: counted as it arrives.
      const chunked = await rawRequest(url, {
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: ['{"type":"message","text":"', 'x'.repeat(6000), 'x'.repeat(6000), '"}'],
      });
      expect(chunked.status).toBe(413);
      // Within the limit, chunked, with the charset Teams sends: read and answered.
      const ok = await rawRequest(url, {
        headers: { 'content-type': 'application/json; charset=utf-8', 'transfer-encoding': 'chunked' },
        body: [JSON.stringify(teamsMessage(connector.url, 'chunked-ok', 'en-US', { text: 'Device Cap Reached' }))],
      });
      expect(ok.status).toBe(200);
      expect(connector.take().length).toBeGreaterThan(0);
    } finally {
      await stopApp(app);
    }
  });

  it('only application/json is read: a multipart upload gets 415 and leaves no file behind, other types 415 too', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const { app, url } = await startApp({});
    try {
      const form = new FormData();
      form.append('f', new Blob([Buffer.alloc(2 * 1024 * 1024, 1)]), 'big.bin');
      const upload = await fetch(`${url}/api/messages`, { method: 'POST', body: form }).then(
        (r) => r.status,
        () => 'connection closed',
      );
      // Either the 415 arrived, or the server closed the connection on the unread upload after answering.
      if (upload !== 'connection closed') expect(upload).toBe(415);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', '']) {
        const res = await rawRequest(url, { headers: type ? { 'content-type': type } : {}, body: Buffer.from('{"type":"message"}') });
        expect({ type, status: res.status }).toEqual({ type, status: 415 });
      }
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      process.env.TMPDIR = previous;
      if (previous === undefined) delete process.env.TMPDIR;
      await stopApp(app);
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('HEAD /api/messages answers 200 without a warning in the log', async () => {
    const { app, url } = await startApp({});
    const warn = jest.spyOn(logger, 'warn');
    try {
      const res = await fetch(`${url}/api/messages`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await stopApp(app);
    }
  });
});

describe('malformed activities', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  const base = (): Partial<Activity> => teamsMessage(connector.url, 'conv-malformed', 'en-US', { text: 'Device Cap Reached' });
  const invoke = (value: unknown): Partial<Activity> => ({
    ...base(),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value,
    text: undefined,
  });
  const cases: [string, () => unknown][] = [
    ['no channelId', () => ({ ...base(), channelId: undefined })],
    ['a numeric channelId', () => ({ ...base(), channelId: 5 })],
    ['membersAdded not an array', () => ({ ...base(), type: 'conversationUpdate', membersAdded: 'x' })],
    ['membersAdded with a null member', () => ({ ...base(), type: 'conversationUpdate', membersAdded: [null] })],
    ['membersRemoved not an array', () => ({ ...base(), type: 'conversationUpdate', membersRemoved: 'x' })],
    ['entities not an array', () => ({ ...base(), entities: { type: 'mention' } })],
    ['a null entity', () => ({ ...base(), entities: [null] })],
    ['entities null', () => ({ ...base(), entities: null })],
    ['a mention without "mentioned"', () => ({ ...base(), entities: [{ type: 'mention', text: '<at>bot</at>' }] })],
    ['an adaptiveCard/action with value {}', () => invoke({})],
    ['an adaptiveCard/action whose action is a string', () => invoke({ action: 'assign' })],
    ['a numeric tenant id', () => ({ ...base(), conversation: { id: 'conv-malformed', tenantId: 7 } })],
    ['a numeric from.name', () => ({ ...base(), from: { id: '29:user-1', name: 5 } })],
    ['a numeric replyToId', () => ({ ...base(), replyToId: 5 })],
    ['a null attachment', () => ({ ...base(), attachments: [null] })],
  ];

  it.each(cases)('%s: 400, no failed turn, nothing sent, nothing stored', async (_name, activity) => {
    const storage = new MemoryStorage();
    const config = readConfig({ PORT: '0', STORAGE: 'memory' });
    const { app, url } = await startApp({}, { app: createApp(config, createBot(config, storage)) });
    try {
      connector.take();
      const res = await post(`${url}/api/messages`, activity());
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({ error: expect.stringMatching(/^Not a valid Bot Framework activity: .+\.$/) });
      expect(await turnErrors(url)).toBe(0);
      expect(connector.take()).toEqual([]);
      expect(await storage.read(['msteams/conversations/conv-malformed/', 'msteams/users/29:user-1/'])).toEqual({});
    } finally {
      await stopApp(app);
    }
  });
});

describe('tenant filter', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  it('a foreign-tenant event named ContinueConversation is ignored like any foreign activity; the bot’s own proactive turns still run', async () => {
    const storage = new MemoryStorage();
    const config = readConfig({ PORT: '0', STORAGE: 'memory', ALLOWED_TENANT_IDS: 'tenant-1' });
    const { app, url } = await startApp({}, { app: createApp(config, createBot(config, storage)) });
    try {
      const forged = {
        ...teamsMessage(connector.url, 'conv-evil', 'en-US', {}),
        type: 'event',
        name: 'ContinueConversation',
        from: { id: '29:evil', name: 'Mallory' },
        conversation: { id: 'conv-evil', conversationType: 'personal', tenantId: 'evil' },
        channelData: { tenant: { id: 'evil' } },
      };
      expect((await post(`${url}/api/messages`, forged)).status).toBe(200);
      const stored: StoreItems = await storage.read(['msteams/users/29:evil/', 'msteams/conversations/conv-evil/']);
      expect(stored).toEqual({});
      expect(connector.take()).toEqual([]);

      // A proactive turn the bot starts itself (as every delivery does) is not an incoming activity: it runs.
      let ran = false;
      await app.runtime.adapter.continueConversationAsync(
        '',
        {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id: 'conv-proactive', isGroup: false, conversationType: 'personal', name: '' },
        },
        async (context) => {
          ran = true;
          await context.sendActivity('proactive hello');
        },
      );
      expect(ran).toBe(true);
      expect(connector.take().map((a) => a.text)).toEqual(['proactive hello']);
    } finally {
      await stopApp(app);
    }
  });
});

describe('slow dependencies', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  /**
   * With the storage down: a message gets 200 within 5 s and the storage message in the user's language, and
   * /healthz answers 503 within 2 s.
   */
  async function expectStorageDown(url: string, conversation: string, locale: string, text: string): Promise<void> {
    const started = Date.now();
    const res = await post(`${url}/api/messages`, teamsMessage(connector.url, conversation, locale, { text }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const told = connector
      .take()
      .map((a) => a.text ?? '')
      .join(' ');
    expect(told).toContain(translator(locale.split('-')[0]!)('errors.storage', { correlationId: 'x' }).split('(')[0]!.trim());
    const probed = Date.now();
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
    expect(Date.now() - probed).toBeLessThan(2_000);
  }

  it('a 429 with a long Retry-After on a reply does not hold the request: it returns, the reply follows in the background', async () => {
    const { app, url } = await startApp({});
    const warn = jest.spyOn(logger, 'warn');
    try {
      connector.take();
      connector.failNext = { status: 429, count: 1, retryAfter: 20 };
      const started = Date.now();
      const res = await post(
        `${url}/api/messages`,
        teamsMessage(connector.url, 'conv-throttled', 'en-US', { text: 'Connection to the server could not be established' }),
      );
      // Teams gives up on a request after 15 s; waiting out the Retry-After would take 20.
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(warn.mock.calls.some(([, msg]) => String(msg).includes('in the background'))).toBe(true);
      // The reply, and the ones after it in the same turn, arrive once the Bot Connector takes them again, in order.
      // The reply arrives once the Bot Connector takes it again, and the conversation goes on from there.
      const t = translator('en');
      const reply = await eventually(
        () => connector.take().find((a) => visibleText(a).includes(t('questions.employee.enrollment-method.prompt'))),
        30_000,
      );
      const answer = buttonData(reply, (d) => d.answer === 'dontknow');
      await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-throttled', 'en-US', { value: answer }));
      // The one question answered: the first cause card comes.
      const next = connector.take().find((a) => buttons(a).length > 0);
      expect(buttons(next).some((b) => (b.data as { action?: string } | undefined)?.action === 'outcome')).toBe(true);
    } finally {
      warn.mockRestore();
      connector.failNext = undefined;
      await stopApp(app);
    }
  }, 45_000);

  it('blob storage dropping every connection: the turn fails within seconds with the storage message; /healthz answers 503 at once', async () => {
    // A "storage account" on loopback that accepts each connection and drops it, as an unreachable endpoint would.
    const dropper = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const port = (dropper.address() as net.AddressInfo).port;
    const { app, url } = await startApp({
      STORAGE: 'blob',
      // Azurite's well-known development account (public, documented: not a secret).
      AZURE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
      CONVERSATION_LEASE: 'off',
    });
    try {
      connector.take();
      await expectStorageDown(url, 'conv-blob-down', 'it-IT', 'Workplace Join non riuscito');
    } finally {
      await stopApp(app);
      await new Promise((resolve) => dropper.close(resolve));
    }
  }, 40_000);

  it('a storage that stops answering: the turn fails within seconds with the storage message in the user’s language; /healthz answers 503 at once', async () => {
    const memory = new MemoryStorage();
    let hanging = false;
    const never = new Promise<never>(() => undefined);
    const dropping = {
      read: (keys: string[]): Promise<StoreItems> => (hanging ? never : memory.read(keys)),
      write: (changes: StoreItems): Promise<void> => (hanging ? never : memory.write(changes)),
      delete: (keys: string[]): Promise<void> => (hanging ? never : memory.delete(keys)),
    };
    const config = readConfig({ PORT: '0', STORAGE: 'memory' });
    const { app, url } = await startApp({}, { app: createApp(config, createBot(config, new ResilientStorage(dropping))) });
    try {
      await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-slow', 'es-ES', { text: 'Workplace Join failed' }));
      connector.take();
      hanging = true;
      await expectStorageDown(url, 'conv-slow', 'es-ES', 'hola');
      hanging = false;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      hanging = false;
      await stopApp(app);
    }
  }, 30_000);
});
