/** npm run bench: every benchmark of the project in one run; figures as ratios measured side by side. */
import { performance } from 'perf_hooks';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';
import { benchLoad, botNodeFlags, printLoad } from './load';
import { benchNlu, printNlu } from './nlu';

async function main(): Promise<void> {
  botNodeFlags(); // a bad BENCH_NODE_FLAGS ends the run now, not after the NLU part
  const t0 = performance.now();
  SymptomRecognizer.load();
  const startup = performance.now() - t0;
  process.stdout.write(`Classifier startup (load the 3 prebuilt models): ${startup.toFixed(1)} ms\n\n`);
  process.stdout.write(`${printNlu(benchNlu())}\n\n`);
  process.stdout.write(`${printLoad(await benchLoad())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exit(1);
});
