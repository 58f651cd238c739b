/**
 * What evidence from Microsoft Graph costs a turn: our bot under the paced load (think time between messages, so
 * below capacity), every conversation a device limit whose first turn checks the user's devices, the limits that
 * apply and their groups in Graph, with GRAPH_EVIDENCE on against a fake Graph on loopback that answers every
 * request after 50 ms; against the same bot with it off. Pairs side by side, the one that goes first alternating.
 * The target: the p99 of a turn with evidence stays within 100 ms of the p99 without.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { botNodeFlags, LoadFigures, runMode } from './load';

export interface EvidenceFigures extends LoadFigures {
  evidence: 'on' | 'off';
  /** Requests the fake Graph answered during this run (warm-up included). */
  graphRequests: number;
}

/** The Graph token the bench's bot presents (the fake accepts only it). */
export const BENCH_GRAPH_TOKEN = 'bench-graph-token';

/**
 * A fake Microsoft Graph answering, after `delayMs`, what the device-limit check reads, in the documented shapes:
 * 3 devices per user, the default limit of 15, no groups, Intune as MDM authority.
 */
export async function fakeGraph(delayMs = 50): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    req.resume();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = (status: number, body: unknown): void => {
      setTimeout(() => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      }, delayMs);
    };
    if (req.headers.authorization !== `Bearer ${BENCH_GRAPH_TOKEN}`) return answer(401, { error: { code: 'InvalidAuthenticationToken' } });
    if (/^\/v1\.0\/users\/[^/]+\/managedDevices$/.test(path))
      return answer(200, {
        value: [1, 2, 3].map((i) => ({ '@odata.type': '#microsoft.graph.managedDevice', id: `d${i}`, operatingSystem: 'iOS' })),
      });
    if (/^\/v1\.0\/users\/[^/]+\/transitiveMemberOf\/microsoft\.graph\.group$/.test(path)) return answer(200, { value: [] });
    if (path === '/v1.0/deviceManagement/deviceEnrollmentConfigurations')
      return answer(200, {
        value: [
          {
            '@odata.type': '#microsoft.graph.deviceEnrollmentLimitConfiguration',
            id: 'bench_DefaultLimit',
            displayName: 'All users and all devices',
            priority: 0,
            limit: 15,
            assignments: [{ id: 'a1', target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
          },
        ],
      });
    const org = /^\/v1\.0\/organization\/([^/]+)$/.exec(path);
    if (org) return answer(200, { value: { id: org[1], mobileDeviceManagementAuthority: 'intune' } });
    answer(404, { error: { code: 'ResourceNotFound' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * BENCH_EVIDENCE_ROUNDS pairs (default 3; 0 skips the phase) of BENCH_EVIDENCE_USERS users (default 100), each one
 * conversation at the paced think time; the fake Graph answers in BENCH_GRAPH_DELAY_MS (default 50).
 */
export async function benchEvidence(
  users = Number(process.env.BENCH_EVIDENCE_USERS ?? 100),
  rounds = Number(process.env.BENCH_EVIDENCE_ROUNDS ?? 3),
  delayMs = Number(process.env.BENCH_GRAPH_DELAY_MS ?? 50),
): Promise<EvidenceFigures[]> {
  if (!(rounds > 0)) return [];
  const flags = botNodeFlags();
  const graph = await fakeGraph(delayMs);
  const figures: EvidenceFigures[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const evidence of order) {
        const before = graph.requests();
        const run = await runMode('ours', users, 'evidence', flags, evidence === 'on' ? { BENCH_GRAPH_ENDPOINT: graph.url } : {});
        figures.push({ ...run, round, evidence, graphRequests: graph.requests() - before });
      }
    }
  } finally {
    await graph.close();
  }
  return figures;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export function printEvidence(figures: EvidenceFigures[], delayMs = Number(process.env.BENCH_GRAPH_DELAY_MS ?? 50)): string {
  if (!figures.length) return 'Evidence: skipped (BENCH_EVIDENCE_ROUNDS=0)';
  const on = figures.filter((f) => f.evidence === 'on');
  const off = figures.filter((f) => f.evidence === 'off');
  const firstDiff = on.map((f, i) => f.firstTurnP99 - off[i]!.firstTurnP99);
  const allDiff = on.map((f, i) => f.p99 - off[i]!.p99);
  const medianDiff = on.map((f, i) => f.firstTurnP50 - off[i]!.firstTurnP50);
  const cpuDiff = on.map((f, i) => f.cpuMsPerTurn - off[i]!.cpuMsPerTurn);
  const errors = figures.reduce((n, f) => n + f.errors, 0);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const row = (f: EvidenceFigures): string =>
    `${String(f.round ?? 1).padStart(5)}  ${f.evidence.padEnd(8)}  ${String(f.turns).padStart(5)}  ${f.p50.toFixed(1).padStart(7)}  ${f.p99.toFixed(1).padStart(7)}  ${f.firstTurnP50.toFixed(1).padStart(13)}  ${f.firstTurnP99.toFixed(1).padStart(13)}  ${f.cpuMsPerTurn.toFixed(2).padStart(11)}  ${(f.graphRequests / f.users).toFixed(1).padStart(13)}  ${String(f.errors).padStart(6)}`;
  return [
    `Evidence: our bot, ${figures[0]!.users} users at the paced think time (one device-limit conversation each), GRAPH_EVIDENCE on against a fake Graph answering in ${delayMs} ms, against it off`,
    'round  evidence  turns   p50 ms   p99 ms  1st turn p50  1st turn p99  CPU ms/turn  Graph req/user  errors',
    ...figures.map(row),
    `p99 of the first turn (where evidence is collected), on − off, per round: ${firstDiff.map((d) => d.toFixed(1)).join(', ')} ms; median ${median(firstDiff).toFixed(1)} ms  target ≤ 100 ms: ${verdict(median(firstDiff) <= 100)}`,
    `p99 of all turns, on − off, per round: ${allDiff.map((d) => d.toFixed(1)).join(', ')} ms; median ${median(allDiff).toFixed(1)} ms`,
    `p50 of the first turn, on − off (the wait on Graph itself), per round: ${medianDiff.map((d) => d.toFixed(1)).join(', ')} ms; CPU per turn, on − off: ${cpuDiff.map((d) => d.toFixed(2)).join(', ')} ms`,
    `errors: ${errors}  target 0: ${verdict(errors === 0)}`,
  ].join('\n');
}
