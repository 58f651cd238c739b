import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { Activity } from 'botbuilder';
import { MemoryStorage, StoreItems } from 'botbuilder';
import { createBot } from '../src/bot';
import { readConfig } from '../src/bot/config';
import { ResilientStorage } from '../src/bot/resilientStorage';
import { translator } from '../src/core/knowledge/locales';
import { createApp } from '../src/server/app';
import { fromRoot } from '../src/core/paths';
import { buttonData, buttons, visibleText } from './helpers/cards';
import { eventually, FakeConnector, post, teamsMessage, startApp, stopApp } from './helpers/http';

const start = (env: NodeJS.ProcessEnv): ReturnType<typeof startApp> => startApp(env);
const stop = stopApp;

/** An error whose flow asks an employee one question (how the device is enrolled) before the first cause. */
const SERVER_ERROR = 'Profile Installation Failed. Connection to the server could not be established.';
describe('robustness', () => {
  const connector = new FakeConnector();
  beforeAll(() => connector.start());
  afterAll(() => connector.stop());

  it('ALLOWED_TENANT_IDS: other tenants get no answer; allowed ones do', async () => {
    const { app, url } = await start({ ALLOWED_TENANT_IDS: 'tenant-1, tenant-2' });
    const other = {
      ...teamsMessage(connector.url, 'conv-x', 'en-US', { text: 'Device Cap Reached' }),
      channelData: { tenant: { id: 'evil' } },
    };
    (other.conversation as { tenantId?: string }).tenantId = 'evil';
    expect((await post(`${url}/api/messages`, other)).status).toBe(200);
    expect((await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-y', 'en-US', { text: 'Device Cap Reached' }))).status).toBe(
      200,
    );
    const replies = connector.take();
    expect(replies.some((a) => (a as { conversationId?: string }).conversationId === 'conv-x')).toBe(false);
    expect(replies.some((a) => (a as { conversationId?: string }).conversationId === 'conv-y')).toBe(true);
    await stop(app);
  });

  it('GET /metrics counts turns, latency, recognitions, the none rate and outcomes', async () => {
    const { app, url } = await start({});
    const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-m', 'en-US', payload));
      return connector.take();
    };
    await say({ text: 'hello there, how is the weather' });
    let r = await say({ text: 'Workplace Join failed' });
    for (let i = 0; i < 8 && !r.some((a) => buttons(a).some((b) => (b.data as { outcome?: string })?.outcome === 'fixed')); i++) {
      r = await say({
        value: buttonData(
          r.find((a) => buttons(a).some((b) => (b.data as { answer?: string })?.answer === 'dontknow')),
          (d) => d.answer === 'dontknow',
        ),
      });
    }
    const card = r.find((a) => buttons(a).some((b) => (b.data as { outcome?: string })?.outcome === 'fixed'));
    expect(visibleText(card)).toBeTruthy();
    await say({ value: buttonData(card, (d) => d.outcome === 'fixed') });
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^bot_turns_total\{type="message"\} \d+$/m);
    expect(text).toMatch(/^bot_turn_duration_seconds_count \d+$/m);
    expect(text).toContain('bot_recognitions_total{intent="workplace-join-failed"} 1');
    expect(text).toContain('bot_recognitions_total{intent="none"} 1');
    expect(text).toContain('bot_recognition_none_ratio 0.5');
    expect(text).toContain('bot_outcomes_total{outcome="fixed"} 1');
    await stop(app);
  });

  it('GET /metrics carries the process metrics operators expect (event-loop lag, heap, GC), each metric once', async () => {
    const { app, url } = await start({});
    await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-process', 'en-US', { text: 'Workplace Join failed' }));
    connector.take();
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(Number(text.match(/^nodejs_heap_size_used_bytes (\d+)/m)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^bot_turns_total\{type="message"\} 1$/m);
    // A scraper refuses a metric family declared twice.
    const families = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(families.length).toBeGreaterThan(10);
    expect(new Set(families).size).toBe(families.length);
    await stop(app);
  });

  it('GET /metrics counts out-of-scope messages apart from those not understood', async () => {
    const { app, url } = await start({});
    for (const text of ['I forgot my Outlook password', 'my Android phone will not enroll', 'qwerty asdf zxcv']) {
      await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-scope', 'en-US', { text }));
    }
    const replies = connector.take();
    expect(replies.filter((a) => a.text === translator('en')('outOfScope.reply'))).toHaveLength(2);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain('bot_unmatched_messages_total{kind="out-of-scope"} 2');
    expect(text).toContain('bot_unmatched_messages_total{kind="not-understood"} 1');
    expect(await app.runtime.escalation.tickets.list(() => true)).toEqual([]);
    await stop(app);
  });

  it.each([
    [429, 1],
    [500, undefined],
  ])(
    'the Bot Connector answering %s is retried (Retry-After honoured) and the user still gets the reply',
    async (status, retryAfter) => {
      const { app, url } = await start({});
      connector.take();
      connector.attempts.splice(0);
      connector.failNext = { status, count: 1, ...(retryAfter ? { retryAfter } : {}) };
      const started = Date.now();
      const res = await post(`${url}/api/messages`, teamsMessage(connector.url, `conv-${status}`, 'en-US', { text: SERVER_ERROR }));
      expect(res.status).toBe(200);
      const replies = connector.take();
      expect(replies.length).toBeGreaterThan(0);
      expect(connector.attempts.length).toBe(replies.length + 1);
      if (retryAfter) expect(connector.attempts[1]! - connector.attempts[0]!).toBeGreaterThanOrEqual(retryAfter * 1000 - 50);
      expect(Date.now() - started).toBeLessThan(15_000);
      // The conversation continues normally: the answer to its one question gets the first cause.
      const q = replies.find((a) => buttons(a).some((b) => (b.data as { answer?: string })?.answer === 'dontknow'));
      await post(
        `${url}/api/messages`,
        teamsMessage(connector.url, `conv-${status}`, 'en-US', { value: buttonData(q, (d) => d.answer === 'dontknow') }),
      );
      expect(connector.take().length).toBeGreaterThan(0);
      await stop(app);
    },
    30_000,
  );

  it('storage unreachable: the user is told in their language, nothing stored is lost, and the bot recovers', async () => {
    const memory = new MemoryStorage();
    let down = false;
    const flaky = {
      read: (keys: string[]): Promise<StoreItems> => (down ? Promise.reject(new Error('ECONNREFUSED')) : memory.read(keys)),
      write: (changes: StoreItems): Promise<void> => (down ? Promise.reject(new Error('ECONNREFUSED')) : memory.write(changes)),
      delete: (keys: string[]): Promise<void> => (down ? Promise.reject(new Error('ECONNREFUSED')) : memory.delete(keys)),
    };
    const config = readConfig({ PORT: '0', STORAGE: 'memory' });
    const app = createApp(config, createBot(config, new ResilientStorage(flaky)));
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const es = translator('es');
    const say = async (payload: { text?: string; value?: unknown }): Promise<Partial<Activity>[]> => {
      await post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-storage', 'es-ES', payload));
      return connector.take();
    };
    const first = await say({ text: SERVER_ERROR });
    const answer = buttonData(
      first.find((a) => buttons(a).length > 0),
      (d) => d.answer === 'dontknow',
    );
    down = true;
    const during = await say({ value: answer });
    expect(during.map((a) => a.text ?? '').join(' ')).toContain(es('errors.storage', { correlationId: 'x' }).split('(')[0]!.trim());
    down = false;
    const after = await say({ value: answer });
    expect(visibleText(after.find((a) => buttons(a).length > 0))).toContain(
      es('knowledge:causes.server-connection-failed.previous-user.title'),
    );
    await stop(app);
  });

  it('messages of one conversation arriving at once never lose an update', async () => {
    const { app, url } = await start({});
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(`${url}/api/messages`, teamsMessage(connector.url, 'conv-burst', 'en-US', { text: `message number ${i}` })),
      ),
    );
    connector.take();
    const memory = app.runtime.storage;
    const items = await memory.read(['msteams/conversations/conv-burst/']);
    const transcript = (
      items['msteams/conversations/conv-burst/'] as { conversationData: { transcript: { from: string; text: string }[] } }
    ).conversationData.transcript;
    const seen = transcript.filter((e) => e.from === 'user').map((e) => e.text);
    expect(seen.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `message number ${i}`).sort());
    await stop(app);
  });

  it('unknown activity types and unknown invokes get a clear status, never a crash', async () => {
    const { app, url } = await start({});
    const base = teamsMessage(connector.url, 'conv-u', 'en-US', {});
    expect((await post(`${url}/api/messages`, { ...base, type: 'somethingNew' })).status).toBe(200);
    expect((await post(`${url}/api/messages`, { ...base, type: 'invoke', name: 'no/such/invoke', value: {} })).status).toBe(501);
    expect((await post(`${url}/api/messages`, { ...base, type: 'message', text: 'Device Cap Reached' })).status).toBe(200);
    await stop(app);
  });

  it('fuzz: thousands of mutated Teams activities never crash the process, fail a turn nor leave an unhandled rejection', async () => {
    const { app, url } = await start({});
    const rejections: unknown[] = [];
    const onRejection = (r: unknown): void => {
      rejections.push(r);
    };
    process.on('unhandledRejection', onRejection);
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const weird = (): unknown =>
      pick([
        null,
        0,
        -1,
        1e308,
        '',
        'x'.repeat(5000),
        '💥',
        [],
        {},
        [1, { a: null }],
        true,
        '<at>bot</at>',
        { action: 'answer' },
        { action: 'outcome', outcome: 'fixed' },
        '${x}',
      ]);
    const shapes: Partial<Activity>[] = [
      teamsMessage(connector.url, 'fz', 'es-ES', { text: 'Se alcanzó el límite de dispositivos' }),
      teamsMessage(connector.url, 'fz', 'it-IT', { value: { action: 'choose-symptom', symptom: 'payload-mismatch' } }),
      {
        ...teamsMessage(connector.url, 'fz', 'en-US', {}),
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'assign', data: { ticket: 'IOS-1001' } } },
      },
      { ...teamsMessage(connector.url, 'fz', 'en-US', {}), type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'bot' }] },
      {
        ...teamsMessage(connector.url, 'fz', 'en-US', {}),
        type: 'invoke',
        name: 'composeExtension/submitAction',
        value: { commandId: 'startGuidedFlow', data: { symptom: 'x' } },
      },
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const activity = JSON.parse(JSON.stringify(pick(shapes))) as Record<string, unknown>;
      activity.conversation = { ...(activity.conversation as object), id: `fz-${i % 17}` };
      for (let m = 0; m < 1 + Math.floor(rand() * 3); m++) {
        const key = pick([
          'text',
          'value',
          'locale',
          'from',
          'recipient',
          'conversation',
          'channelData',
          'entities',
          'type',
          'name',
          'attachments',
          'id',
        ]);
        if (rand() < 0.3) delete activity[key];
        else activity[key] = weird();
      }
      const res = await post(`${url}/api/messages`, activity);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    process.off('unhandledRejection', onRejection);
    expect(rejections).toEqual([]);
    // Every answer is a deliberate status, no turn failed (a malformed activity is a 400, never a failed turn), and
    // the server still serves a normal conversation afterwards.
    for (const s of statuses.keys()) expect([200, 400, 401, 413, 501]).toContain(s);
    expect((await (await fetch(`${url}/metrics`)).text()).match(/^bot_turn_errors_total (\d+)$/m)?.[1] ?? '0').toBe('0');
    connector.take();
    expect(
      (await post(`${url}/api/messages`, teamsMessage(connector.url, 'after-fuzz', 'en-US', { text: 'Device Cap Reached' }))).status,
    ).toBe(200);
    expect(connector.take().length).toBeGreaterThan(0);
    await stop(app);
  }, 120_000);

  it('SIGTERM: stops accepting, finishes, exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigterm-'));
    const child = spawn(process.execPath, [fromRoot('dist', 'src', 'server', 'index.js')], {
      env: { ...process.env, PORT: '0', STORAGE_DIR: dir, LOG_LEVEL: 'info' },
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await eventually(() => out.includes('Bot ready'), 15_000);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toContain('shutting down');
  }, 30_000);
});
