/**
 * npm run bench: every benchmark of the project in one run; figures as ratios measured side by side.
 * `npm run bench -- load`, `-- telemetry`, `-- evidence` runs that part alone; `npm run bench -- escalation` the
 * escalation phase alone, once (BENCH_USERS users, default 100).
 */
import { benchEvidence, printEvidence } from './evidence';
import { benchLoad, botNodeFlags, printEscalation, printLoad, runMode } from './load';
import { benchNlu, printNlu } from './nlu';
import { benchTelemetry, printTelemetry } from './telemetry';

async function main(): Promise<void> {
  botNodeFlags(); // a bad BENCH_NODE_FLAGS ends the run now, not after the NLU part
  const only = process.argv[2];
  const parts = ['load', 'telemetry', 'evidence', 'escalation'];
  if (only && !parts.includes(only))
    throw new Error(`unknown part "${only}": ${parts.map((p) => `"${p}"`).join(', ')}, or nothing for every part`);
  if (only === 'escalation') {
    const figures = await runMode('ours', Number(process.env.BENCH_USERS ?? 100), 'escalation');
    process.stdout.write(`${printEscalation([figures])}\n`);
    return;
  }
  if (!only) process.stdout.write(`${printNlu(await benchNlu())}\n\n`);
  if (!only || only === 'load') process.stdout.write(`${printLoad(await benchLoad())}\n\n`);
  if (!only || only === 'telemetry') process.stdout.write(`${printTelemetry(await benchTelemetry())}\n`);
  if (!only || only === 'evidence') process.stdout.write(`${only ? '' : '\n'}${printEvidence(await benchEvidence())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exit(1);
});
