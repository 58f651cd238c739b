/**
 * What telemetry costs per turn: our bot under the same load (the capacity phase, fewer users) with
 * APPLICATIONINSIGHTS_CONNECTION_STRING pointed at a local ingestion endpoint on loopback that accepts and discards
 * what arrives, against the same bot with telemetry off; pairs side by side, the one that goes first alternating.
 * The exporter speaks HTTPS only: the endpoint has a throw-away self-signed certificate made with openssl, trusted by
 * the bot's process through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { botNodeFlags, LoadFigures, runMode } from './load';

export interface TelemetryFigures extends LoadFigures {
  telemetry: 'on' | 'off';
  /** Telemetry items (spans, logs, metrics) the ingestion endpoint received from this run's bot process. */
  items: number;
}

/** A local Application Insights ingestion endpoint: answers every export with success, counts items, keeps nothing. */
export async function ingestionEndpoint(): Promise<{ env: NodeJS.ProcessEnv; items: () => number; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingestion-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  try {
    const subject = ['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', ...subject, '-keyout', key, '-out', cert], {
      stdio: 'ignore',
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`the telemetry phase needs openssl for its local ingestion endpoint: ${(err as Error).message}`);
  }
  let items = 0;
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let count = 0;
      if (req.url?.includes('/track')) {
        try {
          const body = Buffer.concat(chunks);
          const parsed = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8')) as unknown;
          count = Array.isArray(parsed) ? parsed.length : 1;
        } catch {
          count = 0;
        }
      }
      items += count;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: count, itemsAccepted: count, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    env: {
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=${url};LiveEndpoint=${url}`,
      // The exporter's own usage reports would go to Microsoft.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      NODE_EXTRA_CA_CERTS: cert,
    },
    items: () => items,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * BENCH_TELEMETRY_ROUNDS pairs (default 3; 0 skips the phase) of BENCH_TELEMETRY_USERS users (default 20), each
 * user 10 conversations without think time.
 */
export async function benchTelemetry(
  users = Number(process.env.BENCH_TELEMETRY_USERS ?? 20),
  rounds = Number(process.env.BENCH_TELEMETRY_ROUNDS ?? 3),
): Promise<TelemetryFigures[]> {
  if (!(rounds > 0)) return [];
  const flags = botNodeFlags();
  const endpoint = await ingestionEndpoint();
  const figures: TelemetryFigures[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const telemetry of order) {
        const before = endpoint.items();
        const run = await runMode('ours', users, 'capacity', flags, telemetry === 'on' ? endpoint.env : {});
        figures.push({ ...run, round, telemetry, items: endpoint.items() - before });
      }
    }
  } finally {
    await endpoint.close();
  }
  return figures;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function printTelemetry(figures: TelemetryFigures[]): string {
  if (!figures.length) return 'Telemetry: skipped (BENCH_TELEMETRY_ROUNDS=0)';
  const on = figures.filter((f) => f.telemetry === 'on');
  const off = figures.filter((f) => f.telemetry === 'off');
  const cpu = on.map((f, i) => f.cpuMsPerTurn / off[i]!.cpuMsPerTurn);
  const throughput = on.map((f, i) => f.turnsPerSecond / off[i]!.turnsPerSecond);
  const extraMs = on.map((f, i) => f.cpuMsPerTurn - off[i]!.cpuMsPerTurn);
  const errors = figures.reduce((n, f) => n + f.errors, 0);
  const row = (f: TelemetryFigures): string =>
    `${String(f.round ?? 1).padStart(5)}  ${f.telemetry.padEnd(9)}  ${String(f.turns).padStart(5)}  ${f.turnsPerSecond.toFixed(0).padStart(7)}  ${f.p50.toFixed(1).padStart(7)}  ${f.p99.toFixed(1).padStart(7)}  ${f.peakRssMb.toFixed(0).padStart(11)}  ${f.cpuMsPerTurn.toFixed(2).padStart(11)}  ${(f.items / f.turns).toFixed(1).padStart(10)}  ${String(f.errors).padStart(6)}`;
  return [
    `Telemetry: our bot, ${figures[0]!.users} users without think time (10 conversations each), APPLICATIONINSIGHTS_CONNECTION_STRING pointed at a local ingestion endpoint that discards, against telemetry off`,
    'round  telemetry  turns  turns/s   p50 ms   p99 ms  peak RSS MB  CPU ms/turn  items/turn  errors',
    ...figures.map(row),
    `CPU per turn, on/off, per round: ${cpu.map((r) => r.toFixed(2)).join(', ')}; median ${median(cpu).toFixed(2)} (+${median(extraMs).toFixed(2)} ms of CPU per turn)`,
    `throughput on/off, per round: ${throughput.map((r) => r.toFixed(2)).join(', ')}; median ${median(throughput).toFixed(2)}`,
    `errors: ${errors}`,
  ].join('\n');
}
