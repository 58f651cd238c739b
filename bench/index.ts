/** npm run bench: every benchmark of the project in one run; figures as ratios measured side by side. */
import { benchLoad, botNodeFlags, printLoad } from './load';
import { benchNlu, printNlu } from './nlu';

async function main(): Promise<void> {
  botNodeFlags(); // a bad BENCH_NODE_FLAGS ends the run now, not after the NLU part
  process.stdout.write(`${printNlu(await benchNlu())}\n\n`);
  process.stdout.write(`${printLoad(await benchLoad())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exit(1);
});
