/**
 * The load benchmark's own knobs: BENCH_NODE_FLAGS reaches both bot processes, and a bad value is a clear error.
 * The bench itself (npm run bench) measures; these tests only check that what it is told is what it runs.
 */
import { botNodeFlags, runMode } from '../bench/load';
import { benchEvidence, printEvidence } from '../bench/evidence';
import { benchTelemetry, printTelemetry } from '../bench/telemetry';

describe('load bench: Node flags of the bot processes (BENCH_NODE_FLAGS)', () => {
  it('takes several options separated by spaces, and none by default', () => {
    expect(botNodeFlags('  --max-old-space-size=150   --max-semi-space-size=16 ')).toEqual([
      '--max-old-space-size=150',
      '--max-semi-space-size=16',
    ]);
    expect(botNodeFlags('')).toEqual([]);
  });

  it('refuses a value that is not a Node option, naming the variable', () => {
    expect(() => botNodeFlags('max-old-space-size=150')).toThrow(/BENCH_NODE_FLAGS.*"max-old-space-size=150"/);
  });

  it('starts the bot process with them: an option Node rejects stops the run with a clear error', async () => {
    await expect(runMode('echo', 1, 'capacity', ['--no-such-node-option'])).rejects.toThrow(/echo server exited 9 before it was ready/);
  });

  it('runs a bot under a heap limit given this way', async () => {
    const figures = await runMode('echo', 2, 'capacity', ['--max-old-space-size=96']);
    expect(figures.errors).toBe(0);
    expect(figures.turns).toBe(2 * 10 * 7);
  }, 60_000);
});

describe('load bench: the escalation phase', () => {
  it('runs our bot installed in a helpdesk team, every tenth conversation ending in a ticket, and counts the tickets', async () => {
    const figures = await runMode('ours', 2, 'escalation', []);
    expect(figures.errors).toBe(0);
    expect(figures.tickets).toBe(2);
    expect(figures.ticketsPerSecond).toBeGreaterThan(0);
  }, 120_000);

  it('is for our bot only', async () => {
    await expect(runMode('echo', 1, 'escalation', [])).rejects.toThrow(/our bot only/);
  });
});

describe('load bench: the telemetry phase', () => {
  it('runs our bot with telemetry on (sending to a local ingestion endpoint) and off under the same load, and reports the ratio', async () => {
    const figures = await benchTelemetry(2, 1);
    const on = figures.filter((f) => f.telemetry === 'on');
    const off = figures.filter((f) => f.telemetry === 'off');
    expect(on).toHaveLength(1);
    expect(off).toHaveLength(1);
    expect(figures.every((f) => f.errors === 0 && f.turns > 0)).toBe(true);
    expect(on[0]!.turns).toBe(off[0]!.turns);
    // Telemetry really was on in one run and off in the other.
    expect(on[0]!.items).toBeGreaterThan(on[0]!.turns);
    expect(off[0]!.items).toBe(0);
    expect(printTelemetry(figures)).toMatch(/CPU per turn, on\/off, per round: \d+\.\d\d; median \d+\.\d\d/);
  }, 120_000);

  it('is skipped with BENCH_TELEMETRY_ROUNDS=0', async () => {
    expect(await benchTelemetry(2, 0)).toEqual([]);
  });
});

describe('load bench: the evidence phase', () => {
  it('runs our bot with Graph evidence on (against a slow fake Graph) and off under the same load, and reports the difference', async () => {
    const figures = await benchEvidence(2, 1, 50);
    const on = figures.filter((f) => f.evidence === 'on');
    const off = figures.filter((f) => f.evidence === 'off');
    expect(on).toHaveLength(1);
    expect(off).toHaveLength(1);
    expect(figures.every((f) => f.errors === 0 && f.turns > 0)).toBe(true);
    expect(on[0]!.turns).toBe(off[0]!.turns);
    // Evidence really was collected in one run (the device-limit check reads three resources per user) and not in the other.
    expect(on[0]!.graphRequests).toBeGreaterThanOrEqual(2 * 3);
    expect(off[0]!.graphRequests).toBe(0);
    expect(printEvidence(figures)).toMatch(/p99 of the first turn .*, on − off, per round: -?\d+\.\d ms; median -?\d+\.\d ms/);
  }, 120_000);

  it('is skipped with BENCH_EVIDENCE_ROUNDS=0', async () => {
    expect(await benchEvidence(2, 0)).toEqual([]);
    expect(printEvidence([])).toMatch(/skipped/);
  });
});
