import { ConfigError, readConfig } from '../src/bot/config';
import { eventually, FakeConnector, startApp, stopApp, teamsMessage } from './helpers/http';
import { visibleText } from './helpers/cards';

/*
 * MAX_CONCURRENT_TURNS: incoming activities beyond the limit wait, in order of arrival, for a turn in progress to
 * end; one that waited MAX_TURN_WAIT_MS is answered 503 with Retry-After, nothing of it run, so the channel sends it
 * again. Through the real HTTP entry point; a turn is kept in progress by holding its reply at the fake Bot Connector.
 */

const DESCRIPTION = 'my iPhone says Workplace Join failed';

let connector: FakeConnector;
beforeEach(async () => {
  connector = new FakeConnector();
  await connector.start();
});
afterEach(() => connector.stop());

/** An employee's message, each conversation its own employee. */
const message = (conversation: string, text: string): Record<string, unknown> => ({
  ...teamsMessage(connector.url, conversation, 'en-US', { text }),
  from: { id: `29:${conversation}`, name: conversation, aadObjectId: '00000000-0000-0000-0000-000000000002' },
});

async function send(url: string, activity: unknown): Promise<{ status: number; retryAfter: string | null; text: string }> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
}

/** A gauge or counter of GET /metrics. */
async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${name} in /metrics`);
  return Number(m[1]);
}

/** Polls an async condition until it holds (a bound, not a timing: the first turn of an app loads the models). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  let met = false;
  const poll = (): void => void condition().then((v) => (met = v));
  poll();
  await eventually(() => {
    if (!met) poll();
    return met;
  }, 60_000);
}

const repliesTo = (conversation: string): string[] =>
  connector.received.filter((a) => a.conversationId === conversation).map((a) => visibleText(a));

test('an activity beyond MAX_CONCURRENT_TURNS waits for the turn in progress and is then answered, in order of arrival', async () => {
  const { app, url } = await startApp({ MAX_CONCURRENT_TURNS: '1', MAX_TURN_WAIT_MS: '10000' });
  try {
    let release!: () => void;
    connector.holdNextSend = new Promise((resolve) => (release = resolve));
    const first = send(url, message('a:first', DESCRIPTION));
    await eventually(() => connector.held === 1, 60_000);
    const second = send(url, message('a:second', DESCRIPTION));
    await until(async () => (await metric(url, 'bot_turns_waiting')) === 1);
    const third = send(url, message('a:third', DESCRIPTION));
    await until(async () => (await metric(url, 'bot_turns_waiting')) === 2);
    expect(await metric(url, 'bot_turns_in_progress')).toBe(1);
    // Waiting: nothing of the later turns has run.
    expect(repliesTo('a:second')).toEqual([]);
    expect(repliesTo('a:third')).toEqual([]);

    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await third).status).toBe(200);
    // One after the other, in order of arrival.
    const order = connector.received.map((a) => a.conversationId);
    expect(order.lastIndexOf('a:first')).toBeLessThan(order.indexOf('a:second'));
    expect(order.lastIndexOf('a:second')).toBeLessThan(order.indexOf('a:third'));
    // The same answer the first employee got: the cause of the Workplace Join failure.
    expect(repliesTo('a:second')).toEqual(repliesTo('a:first'));
    expect(repliesTo('a:third')).toEqual(repliesTo('a:first'));
    expect(repliesTo('a:second').join(' ')).toMatch(/workplace join/i);
    expect(await metric(url, 'bot_turns_waiting')).toBe(0);
    expect(await metric(url, 'bot_turns_in_progress')).toBe(0);
  } finally {
    await stopApp(app);
  }
}, 120_000);

test('an activity that waited MAX_TURN_WAIT_MS gets 503 with Retry-After, nothing of it run; sent again, it is answered', async () => {
  const { app, url } = await startApp({ MAX_CONCURRENT_TURNS: '1', MAX_TURN_WAIT_MS: '0' });
  try {
    let release!: () => void;
    connector.holdNextSend = new Promise((resolve) => (release = resolve));
    const first = send(url, message('b:first', DESCRIPTION));
    await eventually(() => connector.held === 1, 60_000);

    const refused = await send(url, message('b:second', DESCRIPTION));
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(refused.text)).toEqual({ error: expect.stringMatching(/busy/i) });
    expect(await metric(url, 'bot_turns_refused_total')).toBe(1);

    release();
    expect((await first).status).toBe(200);
    expect(repliesTo('b:second')).toEqual([]);

    // The channel's retry: the same activity, now answered as the first one was.
    const retried = await send(url, message('b:second', DESCRIPTION));
    expect(retried.status).toBe(200);
    expect(repliesTo('b:second')).toEqual(repliesTo('b:first'));
    expect(repliesTo('b:second').length).toBeGreaterThan(0);
  } finally {
    await stopApp(app);
  }
}, 120_000);

test('the bound and the wait are checked at start-up: a wait Teams would not sit through is refused', () => {
  expect(readConfig({})).toMatchObject({ maxConcurrentTurns: 16, maxTurnWaitMs: 10_000 });
  expect(readConfig({ MAX_CONCURRENT_TURNS: '64', MAX_TURN_WAIT_MS: '0' })).toMatchObject({ maxConcurrentTurns: 64, maxTurnWaitMs: 0 });
  for (const value of ['0', '-1', '2.5', 'many']) expect(() => readConfig({ MAX_CONCURRENT_TURNS: value })).toThrow(ConfigError);
  // Teams gives up on a request after 15 s.
  for (const value of ['15000', '-1', 'soon']) expect(() => readConfig({ MAX_TURN_WAIT_MS: value })).toThrow(/MAX_TURN_WAIT_MS/);
});
