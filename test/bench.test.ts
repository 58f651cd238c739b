/**
 * The load benchmark's own knobs: BENCH_NODE_FLAGS reaches both bot processes, and a bad value is a clear error.
 * The bench itself (npm run bench) measures; these tests only check that what it is told is what it runs.
 */
import { botNodeFlags, runMode } from '../bench/load';

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
