/**
 * NLU benchmark: this project's recognizer vs natural's stock BayesClassifier trained on the same examples,
 * measured side by side in one run on the held-out sets. Latency figures are per message, in one process.
 */
import { BayesClassifier } from 'natural/lib/natural/classifiers';
import { NONE } from '../src/core/knowledge/catalog';
import { supportedLocales } from '../src/core/knowledge/locales';
import { readExamples, trainingExamples } from '../src/core/nlu/dataset';
import { SymptomRecognizer } from '../src/core/nlu/recognizer';

export interface NluFigures {
  locale: string;
  ours: { accuracy: number; p50: number; p99: number };
  bayes: { accuracy: number; p50: number; p99: number };
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** Accuracy over the held-out set, and latency over PASSES timed passes after one untimed warm-up pass. */
const PASSES = 5;
function time(fn: (text: string) => string, texts: string[], truths: string[]): { accuracy: number; p50: number; p99: number } {
  let right = 0;
  texts.forEach((text, i) => {
    if (fn(text) === truths[i]) right++;
  });
  const latencies: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const text of texts) {
      const start = process.hrtime.bigint();
      fn(text);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return { accuracy: right / texts.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

export function benchNlu(): NluFigures[] {
  const recognizer = SymptomRecognizer.load();
  const out: NluFigures[] = [];
  for (const locale of supportedLocales()) {
    const bayes = new BayesClassifier();
    for (const e of trainingExamples(locale)) bayes.addDocument(e.text, e.intent);
    bayes.train();
    const heldout = readExamples(locale, 'nlu-heldout.json');
    const texts = heldout.map((e) => e.text);
    const truths = heldout.map((e) => e.intent);
    const ours = time((t) => recognizer.recognize(t, locale).intent, texts, truths);
    const stock = time((t) => bayes.classify(t) || NONE, texts, truths);
    out.push({ locale, ours, bayes: stock });
  }
  return out;
}

export function printNlu(figures: NluFigures[]): string {
  const f = (x: number): string => x.toFixed(3);
  const lines = [
    'NLU: held-out accuracy (all messages, in scope and none) and per-message latency in ms',
    'locale  ours acc  ours p50  ours p99  bayes acc  bayes p50  bayes p99  acc ratio  p99 ratio (bayes/ours)',
  ];
  for (const r of figures) {
    lines.push(
      `${r.locale.padEnd(6)}  ${(r.ours.accuracy * 100).toFixed(1).padStart(7)}%  ${f(r.ours.p50).padStart(8)}  ${f(r.ours.p99).padStart(8)}  ${(r.bayes.accuracy * 100).toFixed(1).padStart(8)}%  ${f(r.bayes.p50).padStart(9)}  ${f(r.bayes.p99).padStart(9)}  ${(r.ours.accuracy / r.bayes.accuracy).toFixed(2).padStart(9)}  ${(r.bayes.p99 / r.ours.p99).toFixed(2).padStart(9)}`,
    );
  }
  return lines.join('\n');
}
