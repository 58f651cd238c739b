import { loadCatalog, SymptomId } from '../knowledge/catalog';
import { readLocaleFile } from '../knowledge/locales';
import { contentWords, normalize } from './text';

/**
 * The words people answer "at which step does it stop?" with, per enrollment stage of the catalog, in
 * locales/<lng>/nlu-stages.json: the stage's name as the bot itself suggests it ("signing in to Company Portal") and
 * other ways of saying it; and filler words that only say "at that step" ("step", "stops", "iPhone").
 */
export const STAGES_FILE = 'nlu-stages.json';

export interface StageWords {
  stages: Record<string, string[]>;
  filler: string[];
}

export function readStageWords(locale: string): StageWords {
  const data = readLocaleFile(locale, STAGES_FILE) as Partial<StageWords> | undefined;
  if (!data) throw new Error(`locales/${locale}/${STAGES_FILE} is missing`);
  const stages = data.stages ?? {};
  for (const [id, phrases] of Object.entries(stages)) {
    if (!Array.isArray(phrases) || phrases.some((p) => typeof p !== 'string'))
      throw new Error(`locales/${locale}/${STAGES_FILE}: "${id}" must be a list of phrases`);
  }
  return { stages, filler: Array.isArray(data.filler) ? data.filler.filter((w) => typeof w === 'string') : [] };
}

interface CompiledStages {
  phrases: { symptoms: SymptomId[]; words: string[] }[];
  filler: Set<string>;
}

const compiled = new Map<string, CompiledStages>();

function stagesOf(locale: string): CompiledStages {
  let c = compiled.get(locale);
  if (c) return c;
  const words = readStageWords(locale);
  const phrases = loadCatalog().stages.flatMap((stage) =>
    (words.stages[stage.id] ?? []).map((p) => ({ symptoms: stage.symptoms, words: [...new Set(contentWords(p))] })),
  );
  c = { phrases: phrases.filter((p) => p.words.length > 0), filler: new Set(words.filler.map(normalize)) };
  compiled.set(locale, c);
  return c;
}

/** Letters two forms of a word share ("sign-ing", "install-ation", "instal-ar"); shorter words must be equal. */
const PREFIX = 5;
const sameWord = (a: string, b: string): boolean =>
  a === b || (Math.min(a.length, b.length) >= PREFIX && a.slice(0, PREFIX) === b.slice(0, PREFIX));

/**
 * The symptoms of the enrollment stage the message names, when naming it is all the message does ("signing in to
 * Company Portal", "it stops at the setup screens"): every content word is a word of one of the stage's phrases or
 * filler, and at least half of that phrase's words are there. Anything more ("…and it says User License Type
 * Invalid", "it hangs after the password") is left to the error texts and the model. Empty when no stage, or two.
 */
export function stageOf(message: string, locale: string): SymptomId[] {
  const words = [...new Set(contentWords(message))];
  if (words.length === 0) return [];
  const { phrases, filler } = stagesOf(locale);
  const coverage = new Map<SymptomId[], number>();
  for (const p of phrases) {
    const inPhrase = words.filter((w) => p.words.some((t) => sameWord(t, w)));
    if (inPhrase.length === 0 || words.some((w) => !inPhrase.includes(w) && !filler.has(w))) continue;
    const covered = p.words.filter((t) => inPhrase.some((w) => sameWord(t, w))).length / p.words.length;
    if (covered >= 0.5) coverage.set(p.symptoms, Math.max(covered, coverage.get(p.symptoms) ?? 0));
  }
  const ranked = [...coverage].sort((a, b) => b[1] - a[1]);
  const [best, next] = ranked;
  return best && (!next || next[1] < best[1]) ? best[0] : [];
}
