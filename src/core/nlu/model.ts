import { ConceptMatcher, Lexicon } from './lexicon';
import { features, featureWeight, normalize } from './text';

/** A trained multinomial logistic regression over the sparse features of ./text.ts. Plain JSON, built ahead of time. */
export interface ModelData {
  locale: string;
  classes: string[];
  vocabulary: string[];
  /** weights[c][f] flattened: classes.length × vocabulary.length */
  weights: ArrayLike<number>;
  bias: number[];
  /** Below this probability the top symptom is not trusted and the answer is "none"; chosen by cross-validation. */
  threshold: number;
  /** Below `threshold` but at or above this, the message is not "none" outright: the bot asks "did you mean…?". */
  suggestThreshold?: number;
  trainedOn: number;
  /** The concept lexicon the model was trained with (its features), kept with it so scoring uses the same one. */
  lexicon?: Lexicon;
}

export interface Example {
  text: string;
  intent: string;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  lexicon?: Lexicon;
}

/** Full-batch softmax regression with Adam; deterministic (no random initialisation, fixed example order). */
export function train(examples: Example[], locale: string, opts: TrainOptions = {}): ModelData {
  const epochs = opts.epochs ?? 120;
  const lr = opts.learningRate ?? 0.05;
  const l2 = opts.l2 ?? 1e-4;
  const classes = [...new Set(examples.map((e) => e.intent))].sort();
  const concepts = opts.lexicon ? new ConceptMatcher(opts.lexicon) : undefined;
  const vocabIndex = new Map<string, number>();
  const rows = examples.map((e) => {
    const idx: number[] = [];
    for (const f of features(e.text, locale, concepts)) {
      let i = vocabIndex.get(f);
      if (i === undefined) {
        i = vocabIndex.size;
        vocabIndex.set(f, i);
      }
      for (let k = featureWeight(f); k > 0; k--) idx.push(i);
    }
    return { idx, y: classes.indexOf(e.intent), scale: 1 / Math.sqrt(Math.max(1, idx.length)) };
  });
  const C = classes.length;
  const V = vocabIndex.size;
  const W = new Float64Array(C * V);
  const b = new Float64Array(C);
  const mW = new Float64Array(C * V);
  const vW = new Float64Array(C * V);
  const mb = new Float64Array(C);
  const vb = new Float64Array(C);
  const gW = new Float64Array(C * V);
  const gb = new Float64Array(C);
  const p = new Float64Array(C);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  const n = rows.length;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    gW.fill(0);
    gb.fill(0);
    for (const r of rows) {
      probabilities(W, b, V, r.idx, r.scale, p);
      for (let c = 0; c < C; c++) {
        const g = p[c]! - (c === r.y ? 1 : 0);
        gb[c] = gb[c]! + g / n;
        const off = c * V;
        for (const i of r.idx) gW[off + i] = gW[off + i]! + (g * r.scale) / n;
      }
    }
    const c1 = 1 - Math.pow(beta1, epoch);
    const c2 = 1 - Math.pow(beta2, epoch);
    for (let k = 0; k < W.length; k++) {
      const g = gW[k]! + l2 * W[k]!;
      mW[k] = beta1 * mW[k]! + (1 - beta1) * g;
      vW[k] = beta2 * vW[k]! + (1 - beta2) * g * g;
      W[k] = W[k]! - (lr * (mW[k]! / c1)) / (Math.sqrt(vW[k]! / c2) + eps);
    }
    for (let c = 0; c < C; c++) {
      const g = gb[c]!;
      mb[c] = beta1 * mb[c]! + (1 - beta1) * g;
      vb[c] = beta2 * vb[c]! + (1 - beta2) * g * g;
      b[c] = b[c]! - (lr * (mb[c]! / c1)) / (Math.sqrt(vb[c]! / c2) + eps);
    }
  }
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  return {
    locale,
    classes,
    vocabulary: [...vocabIndex.keys()],
    weights: Array.from(W, round),
    bias: Array.from(b, round),
    threshold: 0,
    trainedOn: examples.length,
    ...(opts.lexicon ? { lexicon: opts.lexicon } : {}),
  };
}

/** A loaded model ready to score messages: the vocabulary as a hash map, weights as typed arrays. */
export class Model {
  readonly classes: string[];
  readonly threshold: number;
  readonly suggestThreshold: number;
  readonly locale: string;
  private readonly concepts: ConceptMatcher | undefined;
  private readonly index: Map<string, number>;
  private readonly W: Float32Array;
  private readonly b: Float32Array;
  private readonly V: number;

  constructor(data: ModelData) {
    this.classes = data.classes;
    this.threshold = data.threshold;
    this.suggestThreshold = data.suggestThreshold ?? data.threshold;
    this.concepts = data.lexicon ? new ConceptMatcher(data.lexicon) : undefined;
    this.locale = data.locale;
    this.index = new Map(data.vocabulary.map((f, i) => [f, i]));
    this.W = data.weights instanceof Float32Array ? data.weights : Float32Array.from(data.weights);
    this.b = Float32Array.from(data.bias);
    this.V = data.vocabulary.length;
  }

  /** The lexicon concepts found in a message (none without a lexicon). */
  conceptsOf(text: string): string[] {
    return this.concepts ? this.concepts.find(normalize(text)) : [];
  }

  /** The message without the phrases of the given concepts, normalized. */
  withoutConcepts(text: string, ids: ReadonlySet<string>): string {
    return this.concepts ? this.concepts.strip(normalize(text), ids) : normalize(text);
  }

  /** Probability of every class, highest first. */
  score(text: string): { intent: string; score: number }[] {
    const idx: number[] = [];
    let total = 0;
    for (const f of features(text, this.locale, this.concepts)) {
      const w = featureWeight(f);
      total += w;
      const i = this.index.get(f);
      if (i !== undefined) for (let k = w; k > 0; k--) idx.push(i);
    }
    // Same scaling as in training: by the number of features of the message, known or not, so that a message made
    // mostly of words the model never saw gets a flatter, less confident distribution.
    const scale = 1 / Math.sqrt(Math.max(1, total));
    const p = probabilities(this.W, this.b, this.V, idx, scale, new Float64Array(this.classes.length));
    return this.classes.map((intent, c) => ({ intent, score: p[c]! })).sort((a, b) => b.score - a.score);
  }
}

/** Softmax over the classes for one sparse example (the same in training and scoring); writes into `out`. */
function probabilities(
  W: ArrayLike<number>,
  b: ArrayLike<number>,
  V: number,
  idx: number[],
  scale: number,
  out: Float64Array,
): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) {
    let z = b[c]!;
    const off = c * V;
    for (const i of idx) z += W[off + i]! * scale;
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < out.length; c++) out[c] = out[c]! / sum;
  return out;
}

/**
 * The saved form of a model (dist/models/nlu-<lng>.json): JSON, with the weights as little-endian float32 in base64,
 * which loads several times faster than a JSON array of numbers and is a quarter of its size.
 */
export function serializeModel(data: ModelData): string {
  const w = Float32Array.from(data.weights);
  const bytes = Buffer.from(w.buffer, w.byteOffset, w.byteLength);
  return JSON.stringify({ ...data, weights: bytes.toString('base64') });
}

export function parseModel(text: string): ModelData {
  const raw = JSON.parse(text) as Omit<ModelData, 'weights'> & { weights: string | number[] };
  if (typeof raw.weights !== 'string') return raw as ModelData;
  const bytes = Buffer.from(raw.weights, 'base64');
  if (bytes.byteLength !== 4 * raw.classes.length * raw.vocabulary.length) throw new Error(`NLU model for "${raw.locale}" is damaged`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { ...raw, weights: new Float32Array(copy.buffer) };
}
