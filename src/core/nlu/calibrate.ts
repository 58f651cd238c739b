import { NONE } from '../knowledge/catalog';
import { Example, Model, ModelData, train, TrainOptions } from './model';

export interface Outcome {
  truth: string;
  top: string;
  topScore: number;
  noneScore: number;
}

export const decide = (o: Outcome, threshold: number): string =>
  o.top !== NONE && o.topScore >= threshold && o.topScore >= o.noneScore ? o.top : NONE;

/** Mean of in-scope accuracy and out-of-scope recall at a threshold. */
export function balancedAccuracy(outcomes: Outcome[], threshold: number): number {
  const inScope = outcomes.filter((o) => o.truth !== NONE);
  const outScope = outcomes.filter((o) => o.truth === NONE);
  const acc = inScope.filter((o) => decide(o, threshold) === o.truth).length / Math.max(1, inScope.length);
  const rec = outScope.filter((o) => decide(o, threshold) === NONE).length / Math.max(1, outScope.length);
  return (acc + rec) / 2;
}

export function outcome(model: Model, e: Example): Outcome {
  const scored = model.score(e.text);
  const top = scored.find((s) => s.intent !== NONE) ?? { intent: NONE, score: 0 };
  return { truth: e.intent, top: top.intent, topScore: top.score, noneScore: scored.find((s) => s.intent === NONE)?.score ?? 0 };
}

/**
 * Trains the final model and picks its out-of-scope threshold by k-fold cross-validation on the training data:
 * the threshold that maximises balanced accuracy on examples each fold's model never saw.
 */
export function trainCalibrated(examples: Example[], locale: string, folds = 5, opts: TrainOptions = {}): ModelData {
  const outcomes: Outcome[] = [];
  for (let k = 0; k < folds; k++) {
    const trainSet = examples.filter((_, i) => i % folds !== k);
    const testSet = examples.filter((_, i) => i % folds === k);
    const m = new Model(train(trainSet, locale, opts));
    for (const e of testSet) outcomes.push(outcome(m, e));
  }
  const data = train(examples, locale, opts);
  data.threshold = pickThreshold(outcomes);
  data.suggestThreshold = suggestThreshold(outcomes, data.threshold);
  return data;
}

/**
 * Thresholds whose balanced accuracy is within this of the best are as good: the cross-validated curve is flat near
 * its top, where a few lines of a thousand decide which threshold wins.
 */
export const THRESHOLD_TOLERANCE = 0.005;

/**
 * The highest threshold whose cross-validated balanced accuracy is within THRESHOLD_TOLERANCE of the best: among
 * equally good thresholds, the cautious one, since a wrong guess costs more than a question (messages below it
 * still get "did you mean…?" in the band above suggestThreshold).
 */
export function pickThreshold(outcomes: Outcome[]): number {
  const curve: { t: number; score: number }[] = [];
  for (let k = 10; k <= 90; k++) curve.push({ t: k / 100, score: balancedAccuracy(outcomes, k / 100) });
  const best = Math.max(...curve.map((c) => c.score));
  return curve.filter((c) => c.score >= best - THRESHOLD_TOLERANCE - 1e-9).reduce((a, c) => (c.t > a.t ? c : a)).t;
}

/** At most this share of out-of-scope messages may be answered with "did you mean…?" instead of a plain "none". */
export const SUGGEST_NONE_SHARE = 0.1;

/**
 * The lower edge of the "did you mean…?" band: the lowest score at which no more than SUGGEST_NONE_SHARE of the
 * out-of-scope messages (in cross-validation) would be offered symptoms. Never above the threshold itself.
 */
export function suggestThreshold(outcomes: Outcome[], threshold: number): number {
  const outScope = outcomes.filter((o) => o.truth === NONE && decide(o, threshold) === NONE);
  const scores = outScope.map((o) => o.topScore).sort((a, b) => b - a);
  const allowed = Math.floor(SUGGEST_NONE_SHARE * outcomes.filter((o) => o.truth === NONE).length);
  // The (allowed+1)-th highest score among out-of-scope messages: anything strictly above it is in the band.
  const edge = scores[allowed] ?? 0;
  return Math.min(threshold, Math.round((edge + 0.005) * 100) / 100);
}
