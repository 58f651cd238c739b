/**
 * Load benchmark: N concurrent simulated Teams users, each a full troubleshooting conversation (describe → answer
 * the questions that change the fix → resolution card → "That fixed it" → rating) over HTTP, with a fake Bot
 * Connector on loopback receiving the replies; in the same run, conversations of the same number of turns against a
 * minimal echo bot on the same restify + CloudAdapter stack. Each bot runs in its own process so its peak RSS is its
 * own. Phases:
 * - capacity: the users send their next message as soon as the reply arrives (no think time), several
 *   conversations each: the conversations per second the process can serve and the CPU each costs, against the
 *   echo bot run before and after ours in the same round (the two echo runs give the round's own noise);
 * - paced: the same users with a think time between messages (0.5–1.5 s, faster than people type), so the
 *   offered load stays below capacity: the turn latency a user meets at that concurrency;
 * - escalation (ours only): as capacity, every tenth conversation ending in a ticket.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { fromRoot } from '../src/core/paths';

interface Reply {
  text?: string;
  attachments?: { content?: unknown }[];
}

export type Phase = 'capacity' | 'paced' | 'escalation' | 'evidence';

export interface LoadFigures {
  mode: 'ours' | 'echo';
  phase: Phase;
  round?: number;
  /** Echo runs twice in a capacity round, before and after ours: 1 or 2. */
  repeat?: number;
  users: number;
  turns: number;
  /** Conversations in the measured part, and their length (echo: the turns it was told to answer). */
  conversations: number;
  turnsPerConversation: number;
  conversationsPerSecond: number;
  cpuMsPerConversation: number;
  errors: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  /** Calls the bot made to the Bot Connector per turn (replies, typing indicators). */
  connectorCallsPerTurn: number;
  /** TCP connections the bot opened to the fake Bot Connector in the measured part (kept alive: far fewer than calls). */
  connectorConnections: number;
  /**
   * The cores the bot process used on average in the measured part, and the bench's own process (the users and the
   * fake Bot Connector): a bot far below one core is waiting for the machine or the bench, not for its own work.
   */
  botCores: number;
  benchCores: number;
  /** The machine's 1-minute load average when the measured part started and ended. */
  loadAverage: [number, number];
  /**
   * CPU time the bot process used per turn in the measured part (user + system, all its threads, from /proc): less
   * sensitive than turns/s to what else the shared cores run.
   */
  cpuMsPerTurn: number;
  /** The Node options the bot process ran with (BENCH_NODE_FLAGS). */
  nodeFlags: string[];
  /** The slowest turn, and how many took longer than 2 s (all turns; escalationOver2s: the escalating conversations'). */
  maxMs: number;
  over2s: number;
  escalationOver2s: number;
  /** Activities the bot answered 503 (too many turns waiting), each sent again after its Retry-After. */
  refused: number;
  /** Escalation phase: tickets created (the user got their id), and per second of the measured part. */
  tickets: number;
  ticketsPerSecond: number;
  /** Escalation phase: the turns of the escalating conversations alone (p99, slowest), beside all turns'. */
  escalationP99: number;
  escalationMaxMs: number;
  /** The first turn of each conversation (the symptom recognized: where evidence is collected): p50, p99. */
  firstTurnP50: number;
  firstTurnP99: number;
}

/** A small stable number from a string (the load users' object ids). */
const hash = (s: string): number => {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
};

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** The fake Bot Connector: keeps, per conversation, the activities the bot sent in the current turn. */
function connector(): Promise<{
  url: string;
  replies: Map<string, Reply[]>;
  calls: () => number;
  connections: () => number;
  close: () => void;
}> {
  const replies = new Map<string, Reply[]>();
  let calls = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    calls++;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      // Roster look-ups: nobody is in the helpdesk team (every load user is an employee).
      if (/\/members\//.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"error":{"code":"MemberNotFoundInConversation"}}');
      }
      const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (m) {
        const a = JSON.parse(body) as Reply & { type?: string };
        if (a.type === 'message') {
          const id = decodeURIComponent(m[1]!);
          replies.set(id, [...(replies.get(id) ?? []), a]);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  server.on('connection', () => connections++);
  // Idle connections kept as a service's front end keeps them, not Node's 5 s: a connection closed by the fake while
  // the bot reuses it is a reconnection (and a retry) the real Bot Connector would not cause.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        replies,
        calls: () => calls,
        connections: () => connections,
        close: () => server.close(),
      }),
    ),
  );
}

function buttonsOf(replies: Reply[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.Submit' && o.data) out.push(o.data as Record<string, unknown>);
    for (const k of ['body', 'items', 'actions', 'columns']) visit(o[k]);
  };
  for (const r of replies) for (const a of r.attachments ?? []) visit(a.content);
  return out;
}

/** CPU time (user + system) a process has used so far, in ms; NaN where /proc is not available. */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
    return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
  } catch {
    return NaN;
  }
}

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface PhaseOptions {
  /** Conversations each user has, one after the other. */
  conversations: number;
  /** Think time between a reply and the user's next message: [min, max] ms, uniform. */
  thinkMs: [number, number];
  /** Every n-th conversation asks for a person and ends with a ticket (0: none). */
  escalateEvery: number;
  /** The first message of each conversation. */
  text: string;
  /** Each user has an Entra object id of their own (aadObjectId): what the evidence checks look up. */
  aadObjectIds?: boolean;
}

const WORKPLACE_JOIN = 'my iPhone says Workplace Join failed';

export const PHASES: Record<Phase, PhaseOptions> = {
  capacity: { conversations: 10, thinkMs: [0, 0], escalateEvery: 0, text: WORKPLACE_JOIN },
  paced: { conversations: 1, thinkMs: [500, 1500], escalateEvery: 0, text: WORKPLACE_JOIN },
  escalation: { conversations: 10, thinkMs: [0, 0], escalateEvery: 10, text: WORKPLACE_JOIN },
  // The device limit: checked in Graph (the user's devices, the limits, their groups) on the first turn; no
  // question, so the cause card comes at once, with or without evidence.
  evidence: { conversations: 1, thinkMs: [500, 1500], escalateEvery: 0, text: 'Device Cap Reached', aadObjectIds: true },
};
const BENCH_TEAM = '19:bench-helpdesk@thread.tacv2';

/**
 * Node flags for both bot processes, echo and ours alike: BENCH_NODE_FLAGS, e.g. "--max-old-space-size=150" to
 * measure what a heap limit costs in throughput and saves in RSS. Empty by default (Node's own heap sizing).
 */
export function botNodeFlags(value = process.env.BENCH_NODE_FLAGS ?? ''): string[] {
  const flags = value.split(/\s+/).filter(Boolean);
  const bad = flags.find((f) => !f.startsWith('--'));
  if (bad) throw new Error(`BENCH_NODE_FLAGS takes Node options such as --max-old-space-size=150, got "${bad}"`);
  return flags;
}

/** The bot processes' script: next to this file in dist/, or the build's when this runs from source (tests). */
const SERVER_SCRIPT = fs.existsSync(path.join(__dirname, 'loadServer.js'))
  ? path.join(__dirname, 'loadServer.js')
  : fromRoot('dist', 'bench', 'loadServer.js');

export interface RunOptions {
  /** Conversations per user instead of the phase's. */
  conversations?: number;
  /** The echo bot's conversation: this many turns (the length of ours, from ourConversationTurns). Echo needs it. */
  echoTurns?: number;
}

/** `env`: more of the bot process's environment (the telemetry phase's connection string). */
export async function runMode(
  mode: 'ours' | 'echo',
  users: number,
  phase: Phase,
  flags = botNodeFlags(),
  env: NodeJS.ProcessEnv = {},
  options: RunOptions = {},
): Promise<LoadFigures> {
  const { thinkMs, escalateEvery, text, aadObjectIds } = PHASES[phase];
  const conversations = options.conversations ?? PHASES[phase].conversations;
  const echoTurns = options.echoTurns ?? 0;
  if (escalateEvery && mode !== 'ours') throw new Error('the escalation phase runs our bot only');
  if (mode === 'echo' && !(Number.isInteger(echoTurns) && echoTurns > 0))
    throw new Error('the echo bot needs the number of turns of a conversation (echoTurns, the length of ours)');
  const conn = await connector();
  const child = spawn(process.execPath, [...flags, SERVER_SCRIPT, mode, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn', ...(escalateEvery ? { HELPDESK_TEAM_ID: BENCH_TEAM } : {}), ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /ready (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited ${code} before it was ready`)));
  }).catch((err: unknown) => {
    conn.close();
    throw err;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: users });
  let refused = 0;
  /** One activity, sent again after Retry-After when the bot answers 503 (busy), as the channel does; its final status. */
  const send = async (conversation: string, payload: Record<string, unknown>): Promise<number> => {
    for (;;) {
      const { status, retryAfter } = await sendOnce(conversation, payload);
      if (status !== 503 || !retryAfter) return status;
      refused++;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  };
  const sendOnce = (conversation: string, payload: Record<string, unknown>): Promise<{ status: number; retryAfter: number }> =>
    new Promise((resolve) => {
      const body = JSON.stringify({
        type: 'message',
        channelId: 'msteams',
        serviceUrl: conn.url,
        locale: 'en-US',
        from: {
          id: `29:${conversation}`,
          name: 'Load user',
          ...(aadObjectIds ? { aadObjectId: `00000000-0000-4000-8000-${String(hash(conversation)).padStart(12, '0').slice(-12)}` } : {}),
        },
        recipient: { id: '28:bot', name: 'bot' },
        conversation: { id: conversation, conversationType: 'personal' },
        channelData: { tenant: { id: 'tenant-1' } },
        ...payload,
      });
      const req = http.request(
        `http://127.0.0.1:${port}/api/messages`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after']) || 0 }));
        },
      );
      req.on('error', () => resolve({ status: 0, retryAfter: 0 }));
      req.end(body);
    });

  /** GET /healthz on a connection of the agent's pool (opened if none is free), kept open afterwards. */
  const open = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.request(`http://127.0.0.1:${port}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', () => resolve());
      req.end();
    });

  const latencies: number[] = [];
  const escalationLatencies: number[] = [];
  const firstLatencies: number[] = [];
  let errors = 0;
  let tickets = 0;
  const think = (): Promise<void> | undefined => {
    const ms = thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]);
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
  };
  const turn = async (conversation: string, payload: Record<string, unknown>, escalating = false, first = false): Promise<Reply[]> => {
    await think();
    conn.replies.set(conversation, []);
    const t0 = process.hrtime.bigint();
    const status = await send(conversation, payload);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    latencies.push(ms);
    if (escalating) escalationLatencies.push(ms);
    if (first) firstLatencies.push(ms);
    if (status !== 200) errors++;
    return conn.replies.get(conversation) ?? [];
  };

  /** A user who describes the problem, answers "don't know", then asks for a person: the ticket. */
  const escTurn = (id: string, payload: Record<string, unknown>): Promise<Reply[]> => turn(id, payload, true);
  const escalate = async (id: string): Promise<void> => {
    let replies = await escTurn(id, { text: 'my iPhone says Workplace Join failed' });
    for (let k = 0; k < 8 && buttonsOf(replies).some((b) => b.answer === 'dontknow'); k++) {
      replies = await escTurn(id, { value: buttonsOf(replies).find((b) => b.answer === 'dontknow')! });
    }
    replies = await escTurn(id, { text: 'talk to a person' });
    replies = await escTurn(id, { text: 'yes' });
    replies = await escTurn(id, { value: buttonsOf(replies).find((b) => b.action === 'skip') ?? { action: 'skip' } });
    for (let k = 0; k < 4 && buttonsOf(replies).some((b) => b.answer === 'dontknow'); k++) {
      replies = await escTurn(id, { value: buttonsOf(replies).find((b) => b.answer === 'dontknow')! });
    }
    if (replies.some((r) => /IOS-\d+/.test(r.text ?? ''))) tickets++;
    else errors++;
  };

  /** One user's whole conversation (ours), or as many turns as ours takes (echo). */
  const conversation = async (id: string): Promise<void> => {
    if (mode === 'echo') {
      for (let k = 0; k < echoTurns; k++) await turn(id, { text: `message ${k}` });
      return;
    }
    let replies = await turn(id, { text }, false, true);
    for (let k = 0; k < 8; k++) {
      const buttons = buttonsOf(replies);
      const fixed = buttons.find((b) => b.outcome === 'fixed');
      if (fixed) {
        replies = await turn(id, { value: fixed });
        const rate = buttonsOf(replies).find((b) => b.action === 'rate' && b.rating === 5);
        if (rate) await turn(id, { value: rate });
        else errors++;
        return;
      }
      const dontKnow = buttons.find((b) => b.answer === 'dontknow');
      if (!dontKnow) {
        errors++;
        return;
      }
      replies = await turn(id, { value: dontKnow });
    }
    errors++;
  };

  const user = async (i: number): Promise<void> => {
    for (let c = 0; c < conversations; c++) {
      const id = `${mode}-${i}-${c}`;
      // Spread over the run: user i escalates its (i mod n)-th conversation, so not every user at the same moment.
      await (escalateEvery && (i + c) % escalateEvery === 0 ? escalate(id) : conversation(id));
    }
  };

  if (escalateEvery) {
    // The bot installed in the helpdesk team, so tickets are posted to its channel (the fake connector accepts it).
    await send('install', {
      type: 'conversationUpdate',
      membersAdded: [{ id: '28:bot', name: 'bot' }],
      conversation: { id: BENCH_TEAM, conversationType: 'channel', isGroup: true },
      channelData: { team: { id: BENCH_TEAM }, tenant: { id: 'tenant-1' } },
    });
  }
  // Warm-up (JIT, model load) before measuring, without think time.
  await Promise.all(Array.from({ length: 5 }, (_, i) => (escalateEvery && i === 0 ? escalate : conversation)(`${mode}-warmup-${i}`)));
  // Every user's connection is opened before the measured part, as the channel's connections to a bot in service
  // are already open: a process that is busy accepts one new connection per event-loop iteration, so 100 users
  // connecting at the moment their first messages arrive would measure TCP accept, not turns (docs/benchmarks.md).
  await Promise.all(Array.from({ length: users }, () => open()));
  latencies.length = 0;
  escalationLatencies.length = 0;
  firstLatencies.length = 0;
  errors = 0;
  tickets = 0;
  refused = 0;
  const callsBefore = conn.calls();
  const connectionsBefore = conn.connections();
  const parentCpuBefore = process.cpuUsage();
  const loadBefore = os.loadavg()[0]!;
  const cpuBefore = cpuMs(child.pid!);
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = cpuMs(child.pid!) - cpuBefore;
  const parentCpu = process.cpuUsage(parentCpuBefore);
  const rss = peakRssMb(child.pid!);
  // Stopped before the next run starts (ours exports what telemetry it still holds, when on).
  const exited = child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined;
  child.kill('SIGTERM');
  await exited;
  agent.destroy();
  conn.close();
  const done = users * conversations;
  return {
    mode,
    phase,
    users,
    turns: latencies.length,
    conversations: done,
    turnsPerConversation: latencies.length / done,
    conversationsPerSecond: done / seconds,
    cpuMsPerConversation: cpu / done,
    errors,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    peakRssMb: rss,
    connectorCallsPerTurn: (conn.calls() - callsBefore) / latencies.length,
    connectorConnections: conn.connections() - connectionsBefore,
    botCores: cpu / 1000 / seconds,
    benchCores: (parentCpu.user + parentCpu.system) / 1e6 / seconds,
    loadAverage: [loadBefore, os.loadavg()[0]!],
    cpuMsPerTurn: cpu / latencies.length,
    nodeFlags: flags,
    maxMs: Math.max(0, ...latencies),
    over2s: latencies.filter((ms) => ms > 2000).length,
    tickets,
    ticketsPerSecond: tickets / seconds,
    refused,
    escalationP99: quantile(escalationLatencies, 0.99),
    escalationMaxMs: Math.max(0, ...escalationLatencies),
    escalationOver2s: escalationLatencies.filter((ms) => ms > 2000).length,
    firstTurnP50: quantile(firstLatencies, 0.5),
    firstTurnP99: quantile(firstLatencies, 0.99),
  };
}

/** How many turns our bot's employee conversation takes (one user, one conversation): the echo bot answers as many. */
export async function ourConversationTurns(flags = botNodeFlags()): Promise<number> {
  const probe = await runMode('ours', 1, 'capacity', flags, {}, { conversations: 1 });
  if (probe.errors) throw new Error('our conversation did not complete in the probe run');
  return probe.turns;
}

/**
 * BENCH_ROUNDS rounds (default 5). Capacity: echo, ours, echo again, so ours is compared with the echo bot of the
 * same minutes and the two echo runs show how far the machine alone moves a result (this machine's cores are
 * shared: a single pair can be off by a fifth). Paced: echo and ours, the one that goes first alternating. The
 * median of the rounds is the figure to read.
 */
export async function benchLoad(
  users = Number(process.env.BENCH_USERS ?? 100),
  rounds = Number(process.env.BENCH_ROUNDS ?? 5),
): Promise<LoadFigures[]> {
  const flags = botNodeFlags();
  const echoTurns = await ourConversationTurns(flags);
  const run = (mode: 'ours' | 'echo', phase: Phase): Promise<LoadFigures> => runMode(mode, users, phase, flags, {}, { echoTurns });
  const figures: LoadFigures[] = [];
  for (let round = 1; round <= rounds; round++) {
    figures.push({ ...(await run('echo', 'capacity')), round, repeat: 1 });
    figures.push({ ...(await run('ours', 'capacity')), round });
    figures.push({ ...(await run('echo', 'capacity')), round, repeat: 2 });
    const order = round % 2 === 1 ? (['echo', 'ours'] as const) : (['ours', 'echo'] as const);
    for (const mode of order) figures.push({ ...(await run(mode, 'paced')), round });
    figures.push({ ...(await run('ours', 'escalation')), round });
  }
  return figures;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * The comparison before the employee's conversation got shorter: the 9-round run in docs/benchmarks.md, 7 turns a
 * conversation, turns/s ours/echo 0.73 and CPU per turn echo/ours 0.71. As what one conversation cost in echo turns
 * (the machine's unit in the same run): 7 / 0.71 by CPU, 7 / 0.73 by throughput.
 */
export const BEFORE = { turnsPerConversation: 7, cpuEchoTurns: 7 / 0.71, throughputEchoTurns: 7 / 0.73 };

/** One capacity round: ours against the echo bot run just before and just after it. */
export interface ConversationRound {
  round: number;
  turnsPerConversation: number;
  /** Conversations per second, ours / echo (echo answering the same number of turns). */
  conversationRatio: number;
  /** CPU per conversation, echo / ours (1: as cheap as the bare stack). */
  cpuRatio: number;
  /** What one of our conversations costs in echo turns of the same round: by CPU, and by throughput. */
  cpuEchoTurns: number;
  throughputEchoTurns: number;
  /** Our own work per conversation beyond the stack's (the echo bot's turns), in CPU ms. */
  ownCpuMs: number;
  /** How far the second echo run is from the first: the round's own noise (0.05: 5%). */
  noiseCpu: number;
  noiseThroughput: number;
}

export interface ConversationComparison {
  rounds: ConversationRound[];
  cpuEchoTurns: number;
  throughputEchoTurns: number;
  /** The largest echo-against-echo spread of the run. */
  noiseCpu: number;
  noiseThroughput: number;
  /** No loss against the echo bot beyond the run's own noise, against BEFORE. */
  cpuMet: boolean;
  throughputMet: boolean;
}

export function compareConversations(figures: LoadFigures[]): ConversationComparison {
  const capacity = figures.filter((f) => f.phase === 'capacity');
  const rounds: ConversationRound[] = [];
  for (const ours of capacity.filter((f) => f.mode === 'ours')) {
    const echo = capacity.filter((f) => f.mode === 'echo' && f.round === ours.round);
    if (echo.length === 0) continue;
    const mean = (pick: (f: LoadFigures) => number): number => echo.reduce((n, f) => n + pick(f), 0) / echo.length;
    const spread = (pick: (f: LoadFigures) => number): number => (echo.length < 2 ? 0 : Math.abs(pick(echo[1]!) / pick(echo[0]!) - 1));
    const echoCpuPerTurn = mean((f) => f.cpuMsPerTurn);
    rounds.push({
      round: ours.round ?? 1,
      turnsPerConversation: ours.turnsPerConversation,
      conversationRatio: ours.conversationsPerSecond / mean((f) => f.conversationsPerSecond),
      cpuRatio: mean((f) => f.cpuMsPerConversation) / ours.cpuMsPerConversation,
      cpuEchoTurns: ours.cpuMsPerConversation / echoCpuPerTurn,
      throughputEchoTurns: mean((f) => f.turnsPerSecond) / ours.conversationsPerSecond,
      ownCpuMs: ours.cpuMsPerConversation - ours.turnsPerConversation * echoCpuPerTurn,
      noiseCpu: spread((f) => f.cpuMsPerTurn),
      noiseThroughput: spread((f) => f.turnsPerSecond),
    });
  }
  const cpuEchoTurns = median(rounds.map((r) => r.cpuEchoTurns));
  const throughputEchoTurns = median(rounds.map((r) => r.throughputEchoTurns));
  const noiseCpu = Math.max(0, ...rounds.map((r) => r.noiseCpu));
  const noiseThroughput = Math.max(0, ...rounds.map((r) => r.noiseThroughput));
  return {
    rounds,
    cpuEchoTurns,
    throughputEchoTurns,
    noiseCpu,
    noiseThroughput,
    cpuMet: cpuEchoTurns <= BEFORE.cpuEchoTurns * (1 + noiseCpu),
    throughputMet: throughputEchoTurns <= BEFORE.throughputEchoTurns * (1 + noiseThroughput),
  };
}

export function printLoad(figures: LoadFigures[]): string {
  const pick = (mode: LoadFigures['mode'], phase: Phase): LoadFigures[] => figures.filter((f) => f.mode === mode && f.phase === phase);
  const escalation = pick('ours', 'escalation');
  const row = (f: LoadFigures): string =>
    `${String(f.round ?? 1).padStart(5)}  ${f.phase.padEnd(10)}  ${`${f.mode}${f.repeat ? ` ${f.repeat}` : ''}`.padEnd(6)}  ${String(f.users).padStart(5)}  ${String(f.turns).padStart(5)}  ${f.turnsPerConversation.toFixed(1).padStart(10)}  ${f.turnsPerSecond.toFixed(0).padStart(7)}  ${f.conversationsPerSecond.toFixed(1).padStart(7)}  ${f.p50.toFixed(1).padStart(7)}  ${f.p99.toFixed(1).padStart(7)}  ${f.peakRssMb.toFixed(0).padStart(11)}  ${f.connectorCallsPerTurn.toFixed(2).padStart(10)}  ${f.cpuMsPerTurn.toFixed(2).padStart(11)}  ${f.cpuMsPerConversation.toFixed(2).padStart(11)}  ${String(f.errors).padStart(6)}`;
  const ours = pick('ours', 'capacity');
  const c = compareConversations(figures);
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const list = (pick: (r: ConversationRound) => number, digits = 2): string => c.rounds.map((r) => pick(r).toFixed(digits)).join(', ');
  const paced = pick('ours', 'paced');
  const p99 = median(paced.map((f) => f.p99));
  const rssCapacity = Math.max(...ours.map((f) => f.peakRssMb));
  const rssPaced = Math.max(...paced.map((f) => f.peakRssMb));
  const errors = figures.reduce((n, f) => n + f.errors, 0);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const turns = c.rounds[0]?.turnsPerConversation ?? 0;
  return [
    `Load: ${paced[0]!.users} concurrent simulated Teams users over HTTP (a full troubleshooting conversation each, ${turns.toFixed(0)} turns; the echo bot's conversations as many turns), fake Bot Connector on loopback`,
    `capacity: no think time, ${PHASES.capacity.conversations} conversations per user, echo run before (echo 1) and after (echo 2) ours; paced: ${PHASES.paced.thinkMs.join('–')} ms think time between messages`,
    `Node flags of both bots (BENCH_NODE_FLAGS): ${figures[0]!.nodeFlags.join(' ') || 'none'}`,
    'round  phase       bot     users  turns  turns/conv  turns/s  conv/s   p50 ms   p99 ms  peak RSS MB  calls/turn  CPU ms/turn  CPU ms/conv  errors',
    ...figures.map(row),
    `per conversation (capacity), ours/echo answering the same turns, per round: conversations/s ${list((r) => r.conversationRatio)}; CPU echo/ours ${list((r) => r.cpuRatio)}`,
    `one conversation of ours in echo turns of the same round, per round: by CPU ${list((r) => r.cpuEchoTurns, 1)}, by throughput ${list((r) => r.throughputEchoTurns, 1)}; of which the stack (echo's ${turns.toFixed(0)} turns) ${turns.toFixed(0)}, our own work ${list((r) => r.ownCpuMs, 1)} ms of CPU`,
    `noise, echo against itself in the same round (echo 2 / echo 1), per round: CPU per turn ${c.rounds.map((r) => pct(r.noiseCpu)).join(', ')}, turns/s ${c.rounds.map((r) => pct(r.noiseThroughput)).join(', ')}`,
    `no loss against echo beyond the run's noise (a conversation before it got shorter: ${BEFORE.turnsPerConversation} turns, ${BEFORE.cpuEchoTurns.toFixed(1)} echo turns by CPU, ${BEFORE.throughputEchoTurns.toFixed(1)} by throughput): by CPU median ${c.cpuEchoTurns.toFixed(1)} ≤ ${(BEFORE.cpuEchoTurns * (1 + c.noiseCpu)).toFixed(1)}: ${verdict(c.cpuMet)}; by throughput median ${c.throughputEchoTurns.toFixed(1)} ≤ ${(BEFORE.throughputEchoTurns * (1 + c.noiseThroughput)).toFixed(1)}: ${verdict(c.throughputMet)}`,
    `p99 of ours at 100 users (paced), median of rounds: ${p99.toFixed(1)} ms (rounds: ${paced.map((f) => f.p99.toFixed(1)).join(', ')})  target < 50 ms: ${verdict(p99 < 50)}`,
    `peak RSS of ours: paced ${rssPaced.toFixed(0)} MB, capacity ${rssCapacity.toFixed(0)} MB  target < 200 MB: paced ${verdict(rssPaced < 200)}, capacity ${verdict(rssCapacity < 200)}`,
    ...(escalation.length ? [printEscalation(escalation)] : []),
    `errors: ${errors}  target 0: ${verdict(errors === 0)}`,
  ].join('\n');
}

/** The escalation phase's lines: tickets/s, the escalating conversations' turn times, the turns past 2 s. */
export function printEscalation(escalation: LoadFigures[]): string {
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  return [
    `escalation (${escalation[0]!.users} users, no think time, every ${PHASES.escalation.escalateEvery}th conversation ends in a ticket), per round: ${escalation.map((f) => `${f.tickets} tickets, ${f.ticketsPerSecond.toFixed(1)} tickets/s; escalating conversations' turns p99 ${f.escalationP99.toFixed(0)} ms, slowest ${f.escalationMaxMs.toFixed(0)} ms; all turns p99 ${f.p99.toFixed(0)} ms, slowest ${f.maxMs.toFixed(0)} ms, CPU ${f.cpuMsPerTurn.toFixed(2)} ms a turn, ${f.refused} answered 503 and sent again, ${f.errors} errors; load average ${f.loadAverage.map((l) => l.toFixed(1)).join(' → ')}, the bot used ${f.botCores.toFixed(2)} cores, the bench ${f.benchCores.toFixed(2)}; ${f.connectorConnections} connections to the Bot Connector for ${Math.round(f.connectorCallsPerTurn * f.turns)} calls`).join('; ')}`,
    `turns past 2 s in the escalation phase: escalating conversations ${escalation.reduce((n, f) => n + f.escalationOver2s, 0)}  target 0: ${verdict(escalation.every((f) => f.escalationOver2s === 0))}; all turns ${escalation.reduce((n, f) => n + f.over2s, 0)}`,
  ].join('\n');
}
