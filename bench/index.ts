/**
 * npm run bench: every benchmark of the project in one run; figures as ratios measured side by side.
 * `npm run bench -- load`, `npm run bench -- telemetry` or `npm run bench -- evidence` runs that part alone.
 */
import { benchEvidence, printEvidence } from './evidence';
import { benchLoad, botNodeFlags, printLoad } from './load';
import { benchNlu, printNlu } from './nlu';
import { benchTelemetry, printTelemetry } from './telemetry';

async function main(): Promise<void> {
  botNodeFlags(); // a bad BENCH_NODE_FLAGS ends the run now, not after the NLU part
  const only = process.argv[2];
  if (only && only !== 'load' && only !== 'telemetry' && only !== 'evidence')
    throw new Error(`unknown part "${only}": "load", "telemetry", "evidence", or nothing for every part`);
  if (!only) process.stdout.write(`${printNlu(await benchNlu())}\n\n`);
  if (!only || only === 'load') process.stdout.write(`${printLoad(await benchLoad())}\n\n`);
  if (!only || only === 'telemetry') process.stdout.write(`${printTelemetry(await benchTelemetry())}\n`);
  if (!only || only === 'evidence') process.stdout.write(`${only ? '' : '\n'}${printEvidence(await benchEvidence())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exit(1);
});
