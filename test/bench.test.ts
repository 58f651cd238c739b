/**
 * The load benchmark's own knobs: BENCH_NODE_FLAGS reaches both bot processes, and a bad value is a clear error.
 * The bench itself (npm run bench) measures; these tests only check that what it is told is what it runs.
 */
import { BEFORE, botNodeFlags, compareConversations, LoadFigures, ourConversationTurns, printLoad, runMode } from '../bench/load';
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
    await expect(runMode('echo', 1, 'capacity', ['--no-such-node-option'], {}, { echoTurns: 3 })).rejects.toThrow(
      /echo server exited 9 before it was ready/,
    );
  });

  it('runs a bot under a heap limit given this way', async () => {
    const figures = await runMode('echo', 2, 'capacity', ['--max-old-space-size=96'], {}, { echoTurns: 3 });
    expect(figures.errors).toBe(0);
    expect(figures.turns).toBe(2 * 10 * 3);
  }, 60_000);
});

describe('load bench: conversations against the echo bot', () => {
  it("the echo bot answers conversations as long as ours, measured from our bot's own conversation", async () => {
    const turns = await ourConversationTurns([]);
    expect(turns).toBeGreaterThanOrEqual(2);
    const ours = await runMode('ours', 2, 'capacity', [], {}, { conversations: 2 });
    const echo = await runMode('echo', 2, 'capacity', [], {}, { conversations: 2, echoTurns: turns });
    for (const f of [ours, echo]) {
      expect(f.errors).toBe(0);
      expect(f.conversations).toBe(4);
      expect(f.turnsPerConversation).toBe(turns);
      expect(f.cpuMsPerConversation).toBeCloseTo(f.cpuMsPerTurn * turns, 6);
    }
  }, 120_000);

  it('the echo bot is not run without the length of our conversation', async () => {
    await expect(runMode('echo', 1, 'capacity', [])).rejects.toThrow(/echoTurns/);
  });

  /** A capacity run's figures, as runMode reports them, from CPU per turn and turns/s. */
  const run = (mode: 'ours' | 'echo', round: number, cpuMsPerTurn: number, turnsPerSecond: number, repeat?: number): LoadFigures => {
    const turnsPerConversation = 3;
    const conversations = 1000;
    return {
      mode,
      phase: 'capacity',
      round,
      ...(repeat ? { repeat } : {}),
      users: 100,
      turns: conversations * turnsPerConversation,
      conversations,
      turnsPerConversation,
      conversationsPerSecond: turnsPerSecond / turnsPerConversation,
      cpuMsPerConversation: cpuMsPerTurn * turnsPerConversation,
      errors: 0,
      seconds: (conversations * turnsPerConversation) / turnsPerSecond,
      turnsPerSecond,
      p50: 1,
      p99: 1,
      firstTurnP50: 1,
      firstTurnP99: 1,
      peakRssMb: 1,
      connectorCallsPerTurn: 1,
      cpuMsPerTurn,
      nodeFlags: [],
      maxMs: 1,
      over2s: 0,
      escalationOver2s: 0,
      tickets: 0,
      refused: 0,
      connectorConnections: 0,
      botCores: 0,
      benchCores: 0,
      loadAverage: [0, 0],
      ticketsPerSecond: 0,
      escalationP99: 0,
      escalationMaxMs: 0,
    };
  };

  it('weighs ours by conversation in echo turns of the same round, and judges it against the noise of echo against itself', () => {
    // Echo 1.0 then 1.1 ms a turn (10% apart); ours 3 turns at 3.15 ms: 9.45 ms, 9 echo turns of 1.05 ms.
    const c = compareConversations([run('echo', 1, 1.0, 1000, 1), run('ours', 1, 3.15, 400), run('echo', 1, 1.1, 900, 2)]);
    expect(c.rounds).toHaveLength(1);
    expect(c.cpuEchoTurns).toBeCloseTo(9, 6);
    expect(c.rounds[0]!.ownCpuMs).toBeCloseTo(9.45 - 3 * 1.05, 6);
    expect(c.noiseCpu).toBeCloseTo(0.1, 6);
    expect(c.noiseThroughput).toBeCloseTo(0.1, 6);
    expect(c.rounds[0]!.conversationRatio).toBeCloseTo(400 / 950, 6);
    // 9 echo turns a conversation: fewer than before (BEFORE, the 7-turn conversation), so no loss.
    expect(BEFORE.cpuEchoTurns).toBeGreaterThan(9);
    expect(c.cpuMet).toBe(true);
    // The same echo runs, ours twice as expensive per conversation: a loss no noise of 10% covers.
    const worseRuns = [run('echo', 1, 1.0, 1000, 1), run('ours', 1, 6.3, 200), run('echo', 1, 1.1, 900, 2)];
    const worse = compareConversations(worseRuns);
    expect(worse.cpuEchoTurns).toBeCloseTo(18, 6);
    expect(worse.cpuMet).toBe(false);
    expect(worse.throughputMet).toBe(false);
    const report = printLoad([...worseRuns, { ...run('ours', 1, 3, 80), phase: 'paced' }]);
    expect(report).toMatch(/no loss against echo beyond the run's noise .*by CPU median 18\.0 ≤ \d+\.\d: NOT met/);
  });
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
