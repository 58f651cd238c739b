// natural's modules are imported from their own files (see src/core/nlu/text.ts for why).
/* eslint-disable @typescript-eslint/no-require-imports */
const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance') as {
  DamerauLevenshteinDistance: (a: string, b: string, options?: { transposition_cost?: number }) => number;
};
/* eslint-enable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import { stem, tokenize } from '../nlu/text';
import { fromRoot } from '../paths';

/** One word of a message or of a phrase: as written (normalized) and its stem in the message's language. */
export interface Word {
  word: string;
  stem: string;
  /** The word with repeated letters folded ("hiii" → "hi"), and whether it is a number: computed once per word. */
  squeezed?: string;
  digits?: boolean;
  /** A word of the message's language in its own right (see vocabulary.ts): it matches only as written. */
  known?: boolean;
}

/** A word with what sameWord compares worked out once (every word is compared with every phrase of a lexicon). */
const prepared = (word: string, wordStem: string): Word => ({
  word,
  stem: wordStem,
  squeezed: squeeze(word),
  digits: /^[0-9]+$/.test(word),
});

/**
 * The words of a text, lower case, without accents and apostrophes ("didn't" → "didnt", "l'ultimo" → "l ultimo"
 * stays two words in Italian, where the apostrophe joins an article). Digits stay words of their own.
 */
export function wordsOf(text: string, locale: string): Word[] {
  const joined = locale === 'en' ? text.replace(/(\p{L})['’`´](\p{L})/gu, '$1$2') : text;
  return tokenize(withoutEmoji(joined)).map((word) => prepared(word, stem(word, locale)));
}

/** Emoji that are replies ("👍", "🙏", "🤷"), as the English words they stand for (English is in every lexicon). */
const EMOJI = JSON.parse(fs.readFileSync(fromRoot('src', 'core', 'replies', 'emoji.json'), 'utf8')) as Record<string, string>;

function withoutEmoji(text: string): string {
  let out = text.replace(/[\u{1F3FB}-\u{1F3FF}\u200D\uFE0F\u2640\u2642]/gu, '');
  for (const [emoji, words] of Object.entries(EMOJI)) out = out.split(emoji).join(` ${words} `);
  return out;
}

/** "hiii", "byee", "helo": letters repeated for emphasis, or a doubled letter missed, count as the same word. */
const squeeze = (w: string): string => w.replace(/(.)\1+/g, '$1');

/** How many typing mistakes a word of this length may carry and still count as the same word. */
const tolerance = (length: number): number => (length >= 8 ? 2 : length >= 5 ? 1 : 0);

/** Whether a word of the message is a word of a phrase: the same, the same stem, or a typo of it. */
export function sameWord(message: Word, phrase: Word): boolean {
  if (message.word === phrase.word) return true;
  if (message.known) return false;
  if ((message.digits ?? /^[0-9]+$/.test(message.word)) || (phrase.digits ?? /^[0-9]+$/.test(phrase.word))) return false;
  if (message.word.length >= 2 && (message.squeezed ?? squeeze(message.word)) === (phrase.squeezed ?? squeeze(phrase.word))) return true;
  // Same stem: "parla" and "parlare". Short words share stems by accident ("fino", "finisci"), so only longer ones.
  if (message.word.length >= 5 && phrase.word.length >= 5 && message.stem.length >= 4 && message.stem === phrase.stem) return true;
  const allowed = Math.min(tolerance(message.word.length), tolerance(phrase.word.length));
  if (allowed === 0 || Math.abs(message.word.length - phrase.word.length) > allowed) return false;
  // The first letter is rarely the mistyped one; requiring it keeps "fix" and "six" apart.
  if (message.word[0] !== phrase.word[0]) return false;
  return DamerauLevenshteinDistance(message.word, phrase.word) <= allowed;
}

export interface Phrase<K extends string> {
  kind: K;
  words: Word[];
  /** A longer phrase says more: it wins over the shorter ones it overlaps. */
  weight: number;
}

export interface Found<K extends string> {
  kind: K;
  /** First and last message word the phrase covers (inclusive). */
  start: number;
  end: number;
  /** Message words the phrase covers. */
  covered: number[];
}

/**
 * Finds where a phrase occurs in the message: its words in order, with at most one extra message word between two
 * of its words ("didn't really help" for "didn't help").
 */
function occurrences<K extends string>(message: Word[], phrase: Phrase<K>): Found<K>[] {
  const out: Found<K>[] = [];
  const n = phrase.words.length;
  for (let start = 0; start < message.length; start++) {
    if (!sameWord(message[start]!, phrase.words[0]!)) continue;
    const covered = [start];
    let at = start;
    for (let k = 1; k < n; k++) {
      const next = [at + 1, at + 2].find((i) => i < message.length && sameWord(message[i]!, phrase.words[k]!));
      if (next === undefined) break;
      covered.push(next);
      at = next;
    }
    if (covered.length === n) out.push({ kind: phrase.kind, start, end: at, covered });
  }
  return out;
}

/**
 * Reads a message against a list of phrases: longest phrases first, each message word belongs to at most one
 * phrase. Returns what was found, in the order it appears in the message.
 */
export function findPhrases<K extends string>(message: Word[], phrases: Phrase<K>[]): Found<K>[] {
  // Every occurrence, longest first; between equally long ones, the one written exactly wins over a typo or stem
  // match ("buona giornata" is a goodbye, not "buon giorno").
  const all: { found: Found<K>; weight: number; exact: number; order: number }[] = [];
  phrases.forEach((phrase, order) => {
    if (phrase.words.length > message.length) return;
    for (const found of occurrences(message, phrase)) {
      const exact = found.covered.filter((i, k) => message[i]!.word === phrase.words[k]!.word).length;
      all.push({ found, weight: phrase.weight, exact, order });
    }
  });
  all.sort((a, b) => b.weight - a.weight || b.exact - a.exact || a.order - b.order);
  const taken = new Set<number>();
  const out: Found<K>[] = [];
  for (const { found } of all) {
    if (found.covered.some((i) => taken.has(i))) continue;
    found.covered.forEach((i) => taken.add(i));
    out.push(found);
  }
  return out.sort((a, b) => a.start - b.start);
}

export function compile<K extends string>(kind: K, texts: string[], locale: string): Phrase<K>[] {
  return texts
    .map((text) => wordsOf(text, locale))
    .filter((words) => words.length > 0)
    .map((words) => ({ kind, words, weight: words.length }));
}

/** Longest first, so that "not at all" is read before "not". */
export const byWeight = <K extends string>(phrases: Phrase<K>[]): Phrase<K>[] => [...phrases].sort((a, b) => b.weight - a.weight);
