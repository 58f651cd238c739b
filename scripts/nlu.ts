/**
 * npm run nlu -- classify --locale <en|es|it>   one message per stdin line → one JSON object per stdout line
 * npm run nlu -- evaluate [--verbose] [--json]   accuracy per locale on the held-out and blind sets (never trained on)
 * Diagnostics go to stderr; stdout carries only the JSON lines (classify) or the report (evaluate).
 */
import * as readline from 'readline';
import { readLocaleFile, supportedLocales } from '../src/core/knowledge/locales';
import { EVALUATION_SETS, readExamples } from '../src/core/nlu/dataset';
import { evaluate } from '../src/core/nlu/evaluate';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';

function fail(message: string): never {
  process.stderr.write(`nlu: ${message}\n`);
  process.exit(2);
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

async function classify(args: string[]): Promise<void> {
  const locale = argValue(args, '--locale') ?? 'en';
  const locales = supportedLocales();
  if (!locales.includes(locale)) fail(`unsupported locale "${locale}": use one of ${locales.join(', ')}`);
  const recognizer = SymptomRecognizer.load([locale]);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    const r = recognizer.recognize(line, locale);
    const out = {
      text: line,
      locale,
      intent: r.intent,
      score: r.score,
      candidates: r.candidates,
      ambiguous: r.ambiguous,
      entities: r.entities,
    };
    if (!process.stdout.write(`${JSON.stringify(out)}\n`)) await new Promise((res) => process.stdout.once('drain', res));
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function evaluateAll(args: string[]): void {
  const verbose = args.includes('--verbose');
  const json = args.includes('--json');
  const recognizer = SymptomRecognizer.load();
  const sets = EVALUATION_SETS.filter((s) => recognizer.locales.every((l) => readLocaleFile(l, s.file) !== undefined));
  const results = sets.map((s) => ({
    set: s.file,
    locales: recognizer.locales.map((l) => evaluate(recognizer, l, readExamples(l, s.file))),
  }));
  if (json) {
    const out = results.map((r) => ({ set: r.set, locales: r.locales.map(({ errors: _e, ...l }) => l) }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const lines = ['Evaluation on messages never trained on (locales/<lng>/<set>)'];
  results.forEach((r, i) => {
    lines.push('', `${sets[i]!.file}: ${sets[i]!.title}`);
    lines.push('locale  examples  in-scope accuracy  in did-you-mean  none accuracy  none offered dym  none precision');
    for (const l of r.locales) {
      lines.push(
        `${l.locale.padEnd(6)}  ${String(l.examples).padStart(8)}  ${pct(l.inScopeAccuracy).padStart(17)}  ${pct(l.inScopeAmongChoices).padStart(15)}  ${pct(l.noneAccuracy).padStart(13)}  ${pct(l.noneSuggested).padStart(16)}  ${pct(l.noneRecallPrecision.precision).padStart(14)}`,
      );
    }
    for (const l of r.locales) {
      lines.push(`Most confused (${l.locale}): truth → answer ×count`);
      if (l.confusions.length === 0) lines.push('  none');
      for (const c of l.confusions.slice(0, 5)) lines.push(`  ${c.truth} → ${c.predicted} ×${c.count}`);
      if (verbose) for (const e of l.errors) lines.push(`    [${e.truth} → ${e.predicted} ${e.score}] ${e.text}`);
    }
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'classify') return classify(args);
  if (command === 'evaluate') return evaluateAll(args);
  fail(`unknown command "${command ?? ''}": use "classify --locale <${supportedLocales().join('|')}>" or "evaluate"`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
