/**
 * NLU benchmark, side by side in one run on the blind set (locales/<lng>/nlu-blind*.json, written by someone who never
 * saw the training lines, never trained on): this project's recognizer, NLP.js (@nlpjs/nlp with its language package,
 * default settings) and natural's stock BayesClassifier, both trained on exactly the lines our models are trained on.
 * Figures per locale: in-scope top-1 accuracy, `none` accuracy, latency per message; per system: loading the three
 * locales' trained models from their saved form.
 */
import { performance } from 'perf_hooks';
import { BayesClassifier } from 'natural/lib/natural/classifiers';
import { NONE } from '../src/core/knowledge/catalog';
import { supportedLocales } from '../src/core/knowledge/locales';
import { Example } from '../src/core/nlu/model';
import { readExamples, trainingExamples } from '../src/core/nlu/dataset';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';

/* eslint-disable @typescript-eslint/no-require-imports */
interface NlpJs {
  addDocument(l: string, text: string, intent: string): void;
  train(): Promise<unknown>;
  process(l: string, text: string): Promise<{ intent: string; score: number }>;
  export(minified: boolean): string;
  import(data: string): void;
}
interface NlpJsClass {
  new (settings: { languages: string[]; autoSave: boolean }): NlpJs & { use(plugin: unknown): void };
}
const { Nlp } = require('@nlpjs/nlp') as { Nlp: NlpJsClass };
const languagePlugins: Record<string, unknown> = {
  en: (require('@nlpjs/lang-en') as { LangEn: unknown }).LangEn,
  es: (require('@nlpjs/lang-es') as { LangEs: unknown }).LangEs,
  it: (require('@nlpjs/lang-it') as { LangIt: unknown }).LangIt,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface SystemFigures {
  inScope: number;
  none: number;
  p50: number;
  p99: number;
  /** p99 of the CPU time the process spent on a message: the machine's other load does not count in it. */
  cpuP99: number;
}

export interface NluFigures {
  locale: string;
  messages: number;
  ours: SystemFigures & { amongChoices: number };
  nlpjs: SystemFigures;
  bayes: SystemFigures;
}

export interface NluBench {
  locales: NluFigures[];
  /** Milliseconds to load the three locales' saved models, per system. */
  load: { ours: number; nlpjs: number; bayes: number };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** Latency over PASSES timed passes after the untimed accuracy pass (which also warms up). */
const PASSES = 5;

type Classify = (text: string) => string | Promise<string>;

async function measure(fn: Classify, set: Example[]): Promise<SystemFigures> {
  let inScope = 0;
  let inScopeRight = 0;
  let none = 0;
  let noneRight = 0;
  for (const e of set) {
    const answer = await fn(e.text);
    if (e.intent === NONE) {
      none++;
      if (answer === NONE) noneRight++;
    } else {
      inScope++;
      if (answer === e.intent) inScopeRight++;
    }
  }
  const latencies: number[] = [];
  const cpu: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const e of set) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await fn(e.text);
      latencies.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  return {
    inScope: inScopeRight / Math.max(1, inScope),
    none: noneRight / Math.max(1, none),
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    cpuP99: quantile(cpu, 0.99),
  };
}

/** An NLP.js instance for one locale with its language package (autoSave off: nothing is written to disk). */
function nlpJsFor(locale: string): NlpJs {
  const nlp = new Nlp({ languages: [locale], autoSave: false });
  nlp.use(languagePlugins[locale] ?? languagePlugins.en);
  return nlp;
}

/** NLP.js trained with its defaults on our training lines; its per-epoch log (console.log) is kept off the report. */
async function trainNlpJs(locale: string, examples: Example[]): Promise<string> {
  const nlp = nlpJsFor(locale);
  for (const e of examples) nlp.addDocument(locale, e.text, e.intent);
  const log = console.log;
  console.log = (): void => undefined;
  try {
    await nlp.train();
  } finally {
    console.log = log;
  }
  return nlp.export(true);
}

const blindSet = (locale: string): Example[] => [
  ...readExamples(locale, 'nlu-blind.json'),
  ...readExamples(locale, 'nlu-blind-untouched.json'),
];

export async function benchNlu(): Promise<NluBench> {
  const locales = supportedLocales();
  // Ours loads first, in a fresh process as the bot does at start-up; the others load their saved models after
  // training them (which is how they are saved), so their load may also pay for collecting training garbage.
  let t = performance.now();
  const recognizer = SymptomRecognizer.load(locales);
  const loadOurs = performance.now() - t;
  const saved = new Map<string, { nlpjs: string; bayes: string }>();
  for (const locale of locales) {
    const examples = trainingExamples(locale);
    const bayes = new BayesClassifier();
    for (const e of examples) bayes.addDocument(e.text, e.intent);
    bayes.train();
    saved.set(locale, { nlpjs: await trainNlpJs(locale, examples), bayes: JSON.stringify(bayes) });
  }

  t = performance.now();
  const nlpjs = new Map<string, NlpJs>();
  for (const locale of locales) {
    const nlp = nlpJsFor(locale);
    nlp.import(saved.get(locale)!.nlpjs);
    nlpjs.set(locale, nlp);
  }
  const loadNlpJs = performance.now() - t;
  t = performance.now();
  const bayes = new Map<string, BayesClassifier>();
  for (const locale of locales) bayes.set(locale, BayesClassifier.restore(JSON.parse(saved.get(locale)!.bayes)));
  const loadBayes = performance.now() - t;

  const out: NluFigures[] = [];
  for (const locale of locales) {
    const set = blindSet(locale);
    const inScope = set.filter((e) => e.intent !== NONE);
    const offered = inScope.filter((e) => {
      const r = recognizer.recognize(e.text, locale);
      const dym = r.ambiguous && r.candidates.length > 1;
      return dym ? r.candidates.some((c) => c.intent === e.intent) : r.intent === e.intent;
    }).length;
    const ours = await measure((text) => recognizer.recognize(text, locale).intent, set);
    const nlp = nlpjs.get(locale)!;
    const theirs = await measure(async (text) => {
      const r = await nlp.process(locale, text);
      return !r.intent || r.intent === 'None' ? NONE : r.intent;
    }, set);
    const b = bayes.get(locale)!;
    const stock = await measure((text) => b.classify(text) || NONE, set);
    out.push({
      locale,
      messages: set.length,
      ours: { ...ours, amongChoices: offered / Math.max(1, inScope.length) },
      nlpjs: theirs,
      bayes: stock,
    });
  }
  return { locales: out, load: { ours: loadOurs, nlpjs: loadNlpJs, bayes: loadBayes } };
}

export function printNlu(bench: NluBench): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const ms = (x: number): string => x.toFixed(3);
  const lines = [
    'NLU on the blind set (nlu-blind.json + nlu-blind-untouched.json, never trained on): in-scope top-1 and none accuracy,',
    `latency per message in ms over ${PASSES} passes; NLP.js and natural's BayesClassifier trained on exactly our training lines`,
    '',
    'locale  msgs  system   in-scope  in dym  none    p50     p99     cpu p99',
  ];
  for (const r of bench.locales) {
    const row = (name: string, f: SystemFigures, dym: string): string =>
      `${r.locale.padEnd(6)}  ${String(r.messages).padStart(4)}  ${name.padEnd(7)}  ${pct(f.inScope).padStart(8)}  ${dym.padStart(6)}  ${pct(f.none).padStart(6)}  ${ms(f.p50).padStart(6)}  ${ms(f.p99).padStart(6)}  ${ms(f.cpuP99).padStart(7)}`;
    lines.push(row('ours', r.ours, pct(r.ours.amongChoices)), row('nlp.js', r.nlpjs, '-'), row('bayes', r.bayes, '-'));
  }
  lines.push('');
  lines.push(
    `in-scope lead over NLP.js (points): ${bench.locales.map((r) => `${r.locale} ${((r.ours.inScope - r.nlpjs.inScope) * 100).toFixed(1)}`).join(', ')}; none lead: ${bench.locales.map((r) => `${r.locale} ${((r.ours.none - r.nlpjs.none) * 100).toFixed(1)}`).join(', ')}`,
  );
  lines.push(
    `load the ${bench.locales.length} saved models (ms): ours ${bench.load.ours.toFixed(1)}, nlp.js ${bench.load.nlpjs.toFixed(1)}, bayes ${bench.load.bayes.toFixed(1)}`,
  );
  return lines.join('\n');
}
