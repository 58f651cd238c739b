import { NONE } from '../knowledge/catalog';
import { Example } from './model';
import { SymptomRecognizer } from './recognizer';

export interface LocaleEvaluation {
  locale: string;
  examples: number;
  /** Share of in-scope messages mapped to the right symptom (top-1). */
  inScopeAccuracy: number;
  /** Share of in-scope messages whose symptom is the answer or among the "did you mean…?" choices offered. */
  inScopeAmongChoices: number;
  /** Share of out-of-scope messages answered "none" (with or without "did you mean…?"). */
  noneAccuracy: number;
  /** Share of out-of-scope messages offered "did you mean…?" choices. */
  noneSuggested: number;
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
  let amongChoices = 0;
  let noneSuggested = 0;
  const confusion = new Map<string, number>();
  const errors: LocaleEvaluation['errors'] = [];
  for (const e of examples) {
    const r = recognizer.recognize(e.text, locale);
    const offered = r.ambiguous && r.candidates.length > 1;
    if (e.intent === NONE) {
      actualNone++;
      if (offered) noneSuggested++;
    } else {
      inScope++;
      if ((r.intent === e.intent && !offered) || (offered && r.candidates.some((c) => c.intent === e.intent))) amongChoices++;
    }
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
    inScopeAmongChoices: amongChoices / Math.max(1, inScope),
    noneAccuracy: predictedNoneRight / Math.max(1, actualNone),
    noneSuggested: noneSuggested / Math.max(1, actualNone),
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
