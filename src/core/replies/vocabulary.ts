import { readLocaleFile } from '../knowledge/locales';
import { COMMAND_KINDS, COMMAND_PART_KINDS } from './lexicon';
import { Word, wordsOf } from './phrases';

/**
 * Reply kinds and cues that make up commands: their words are what a typo may be corrected to, so they are not part
 * of the vocabulary that stops typo matching.
 */
const COMMAND_PARTS = new Set<string>([...COMMAND_KINDS, ...COMMAND_PART_KINDS]);

const vocabularies = new Map<string, Set<string>>();

/** Every string of a JSON value, in order (the texts of a locale file). */
export function strings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * The words a locale's own texts use (the knowledge, the training messages, the reply vocabulary other than the
 * commands'): words of the language in their own right. Such a word is never read as a typo of another word
 * ("personal" is not a mistyped "persona", "listo" not "lista", Italian "cancellare" not Spanish "cancelar").
 */
export function vocabulary(locale: string): Set<string> {
  const cached = vocabularies.get(locale);
  if (cached) return cached;
  const texts: string[] = [];
  strings(readLocaleFile(locale, 'knowledge.json'), texts);
  strings(readLocaleFile(locale, 'nlu-train.json'), texts);
  const replies = (readLocaleFile(locale, 'replies.json') ?? {}) as Record<string, unknown>;
  for (const [kind, value] of Object.entries(replies)) if (!COMMAND_PARTS.has(kind)) strings(value, texts);
  const words = new Set<string>();
  for (const text of texts) for (const w of wordsOf(text, locale)) if (w.word.length >= 4 && !w.digits) words.add(w.word);
  vocabularies.set(locale, words);
  return words;
}

/** The message's words, those of the locale's vocabulary marked as known (matched as written only). */
export function withKnownWords(words: Word[], locale: string): Word[] {
  const known = vocabulary(locale);
  return words.map((w) => (known.has(w.word) ? { ...w, known: true } : w));
}
