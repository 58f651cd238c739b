import { NONE } from '../knowledge/catalog';
import { Example } from './model';
import { SymptomRecognizer } from './recognizer';

export interface LocaleEvaluation {
  locale: string;
  examples: number;
  /** Share of in-scope messages mapped to the right symptom. */
  inScopeAccuracy: number;
  /** Of the messages answered "none", the share that really were out of scope. */
  noneRecallPrecision: { precision: number; recall: number };
  confusions: { truth: string; predicted: string; count: number }[];
  errors: { text: string; truth: string; predicted: string; score: number }[];
}

export function evaluate(recognizer: SymptomRecognizer, locale: string, examples: Example[]): LocaleEvaluation {
  let inScope = 0;
  let inScopeRight = 0;
  let predictedNone = 0;
  let predictedNoneRight = 0;
  let actualNone = 0;
  const confusion = new Map<string, number>();
  const errors: LocaleEvaluation['errors'] = [];
  for (const e of examples) {
    const r = recognizer.recognize(e.text, locale);
    if (e.intent === NONE) actualNone++;
    else inScope++;
    if (r.intent === NONE) {
      predictedNone++;
      if (e.intent === NONE) predictedNoneRight++;
    }
    if (r.intent === e.intent) {
      if (e.intent !== NONE) inScopeRight++;
    } else {
      const key = `${e.intent}\u0000${r.intent}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
      errors.push({ text: e.text, truth: e.intent, predicted: r.intent, score: r.score });
    }
  }
  return {
    locale,
    examples: examples.length,
    inScopeAccuracy: inScopeRight / Math.max(1, inScope),
    noneRecallPrecision: {
      precision: predictedNoneRight / Math.max(1, predictedNone),
      recall: predictedNoneRight / Math.max(1, actualNone),
    },
    confusions: [...confusion.entries()]
      .map(([k, count]) => {
        const [truth = '', predicted = ''] = k.split('\u0000');
        return { truth, predicted, count };
      })
      .sort((a, b) => b.count - a.count),
    errors,
  };
}
