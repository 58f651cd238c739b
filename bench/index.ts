/** npm run bench: every benchmark of the project in one run; figures as ratios measured side by side. */
import { performance } from 'perf_hooks';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';
import { benchNlu, printNlu } from './nlu';

function main(): void {
  const t0 = performance.now();
  SymptomRecognizer.load();
  const startup = performance.now() - t0;
  process.stdout.write(`Classifier startup (load the 3 prebuilt models): ${startup.toFixed(1)} ms\n\n`);
  process.stdout.write(`${printNlu(benchNlu())}\n`);
}

main();
