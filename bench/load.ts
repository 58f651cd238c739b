/**
 * Load benchmark: N concurrent simulated Teams users, each a full troubleshooting conversation (describe → answer
 * the questions → resolution card → "That fixed it" → rating) over HTTP, with a fake Bot Connector on loopback
 * receiving the replies; in the same run, the same number of turns against a minimal echo bot on the same
 * restify + CloudAdapter stack. Each bot runs in its own process so its peak RSS is its own.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';

interface Reply {
  text?: string;
  attachments?: { content?: unknown }[];
}

export interface LoadFigures {
  mode: 'ours' | 'echo';
  users: number;
  turns: number;
  errors: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  peakRssMb: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** The fake Bot Connector: keeps, per conversation, the activities the bot sent in the current turn. */
function connector(): Promise<{ url: string; replies: Map<string, Reply[]>; close: () => void }> {
  const replies = new Map<string, Reply[]>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
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
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, replies, close: () => server.close() }),
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

function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function runMode(mode: 'ours' | 'echo', users: number): Promise<LoadFigures> {
  const conn = await connector();
  const child = spawn(process.execPath, [path.join(__dirname, 'loadServer.js'), mode, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /ready (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited ${code}`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: users });
  const send = (conversation: string, payload: Record<string, unknown>): Promise<number> =>
    new Promise((resolve) => {
      const body = JSON.stringify({
        type: 'message',
        channelId: 'msteams',
        serviceUrl: conn.url,
        locale: 'en-US',
        from: { id: `29:${conversation}`, name: 'Load user' },
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
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });

  const latencies: number[] = [];
  let errors = 0;
  const turn = async (conversation: string, payload: Record<string, unknown>): Promise<Reply[]> => {
    conn.replies.set(conversation, []);
    const t0 = process.hrtime.bigint();
    const status = await send(conversation, payload);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (status !== 200) errors++;
    return conn.replies.get(conversation) ?? [];
  };

  /** One user's whole conversation (ours), or the same number of turns (echo). */
  const user = async (i: number): Promise<void> => {
    const id = `${mode}-${i}`;
    if (mode === 'echo') {
      for (let k = 0; k < 7; k++) await turn(id, { text: `message ${k}` });
      return;
    }
    let replies = await turn(id, { text: 'my iPhone says Workplace Join failed' });
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

  // Warm-up (JIT, model load) before measuring.
  await Promise.all(Array.from({ length: 5 }, (_, i) => user(-1 - i)));
  latencies.length = 0;
  errors = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: users }, (_, i) => user(i)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = peakRssMb(child.pid!);
  child.kill('SIGTERM');
  agent.destroy();
  conn.close();
  return {
    mode,
    users,
    turns: latencies.length,
    errors,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    peakRssMb: rss,
  };
}

export async function benchLoad(users = Number(process.env.BENCH_USERS ?? 100)): Promise<LoadFigures[]> {
  const echo = await runMode('echo', users);
  const ours = await runMode('ours', users);
  return [ours, echo];
}

export function printLoad(figures: LoadFigures[]): string {
  const [ours, echo] = figures as [LoadFigures, LoadFigures];
  const row = (f: LoadFigures): string =>
    `${f.mode.padEnd(5)}  ${String(f.users).padStart(5)}  ${String(f.turns).padStart(5)}  ${f.turnsPerSecond.toFixed(0).padStart(9)}  ${f.p50.toFixed(1).padStart(7)}  ${f.p99.toFixed(1).padStart(7)}  ${f.peakRssMb.toFixed(0).padStart(11)}  ${String(f.errors).padStart(6)}`;
  return [
    `Load: ${ours.users} concurrent simulated Teams users over HTTP (full troubleshooting conversation each), fake Bot Connector on loopback`,
    'bot    users  turns  turns/s   p50 ms   p99 ms  peak RSS MB  errors',
    row(ours),
    row(echo),
    `throughput ratio ours/echo: ${(ours.turnsPerSecond / echo.turnsPerSecond).toFixed(2)}   (targets: ≥ 0.70, p99 < 50 ms, RSS < 200 MB, no errors)`,
  ].join('\n');
}
