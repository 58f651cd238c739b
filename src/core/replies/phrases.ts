// natural's modules are imported from their own files (see src/core/nlu/text.ts for why).
/* eslint-disable @typescript-eslint/no-require-imports */
const { DamerauLevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance') as {
  DamerauLevenshteinDistance: (a: string, b: string, options?: { transposition_cost?: number }) => number;
};
/* eslint-enable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import { readLocaleFile } from '../knowledge/locales';
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
  /** A phrase word that is two words run together ("thankyou"): it matches only as written (letters repeated aside). */
  joined?: boolean;
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
  const key = `${locale}\u0000${text}`;
  const known = recentWords.get(key);
  if (known) return known;
  const joined = locale === 'en' ? text.replace(/(\p{L})['’`´](\p{L})/gu, '$1$2') : text;
  const short = shorthandOf(locale);
  const tokens = tokenize(withoutEmoji(joined)).flatMap((word) => (short[word] ? tokenize(short[word]!) : [word]));
  const words = tokens.map((word) => prepared(word, stem(word, locale)));
  if (recentWords.size >= RECENT_WORDS) recentWords.clear();
  recentWords.set(key, words);
  return words;
}

/**
 * Chat shorthand of a language, written out ("q" is "que", "xfa" is "por favor", "nn" is "non"): replies.json
 * "shorthand", a map from the short form to the words it stands for. Read once per language.
 */
const shorthands = new Map<string, Record<string, string>>();
function shorthandOf(locale: string): Record<string, string> {
  let short = shorthands.get(locale);
  if (!short) {
    const data = readLocaleFile(locale, 'replies.json')?.shorthand;
    short = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, string>) : {};
    shorthands.set(locale, short);
  }
  return short;
}

/**
 * The words of the last few texts: a typed message is read by several readers in one turn (a command, then the
 * prompt's own reader), and the labels of the options on screen come back in every choice. Bounded: it starts over
 * when full. The arrays are shared, so no caller changes them.
 */
const RECENT_WORDS = 2000;
const recentWords = new Map<string, Word[]>();

/** Emoji that are replies ("👍", "🙏", "🤷"), as the English words they stand for (English is in every lexicon). */
const EMOJI = JSON.parse(fs.readFileSync(fromRoot('src', 'core', 'replies', 'emoji.json'), 'utf8')) as Record<string, string>;

/** Every reply emoji in one pattern, built once. */
const EMOJI_PATTERN = new RegExp(
  Object.keys(EMOJI)
    .sort((a, b) => b.length - a.length)
    .map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'gu',
);

function withoutEmoji(text: string): string {
  const out = text.replace(/[\u{1F3FB}-\u{1F3FF}\u200D\uFE0F\u2640\u2642]/gu, '');
  return Object.keys(EMOJI).length === 0 ? out : out.replace(EMOJI_PATTERN, (emoji) => ` ${EMOJI[emoji]} `);
}

/** "hiii", "byee", "helo": letters repeated for emphasis, or a doubled letter missed, count as the same word. */
const squeeze = (w: string): string => w.replace(/(.)\1+/g, '$1');

/** How many typing mistakes a word of this length may carry and still count as the same word. */
const tolerance = (length: number): number => (length >= 8 ? 2 : length >= 5 ? 1 : 0);

/** Whether a word of the message is a word of a phrase: the same, the same stem, or a typo of it. */
export function sameWord(message: Word, phrase: Word): boolean {
  if (message.word === phrase.word) return true;
  // A word of the language in its own right is never a typo of another; it may share a stem with it only when both
  // are long enough not to be different words, and the message's is not the longer ("ayudar" is "ayudarme", but
  // "listo" is not "lista", "personal" not "person").
  if (message.known)
    return (
      message.word.length >= 6 && phrase.word.length >= message.word.length && message.stem.length >= 4 && message.stem === phrase.stem
    );
  if (phrase.joined) return (message.squeezed ?? squeeze(message.word)) === (phrase.squeezed ?? squeeze(phrase.word));
  if ((message.digits ?? /^[0-9]+$/.test(message.word)) || (phrase.digits ?? /^[0-9]+$/.test(phrase.word))) return false;
  // Not for a two-letter word with a longer phrase word: Italian "al" is not English "all". Folded to one letter
  // ("qqq" → "q"), a word is mashed keys, not an emphasised "q" (Spanish chat for "qué").
  const folded = message.squeezed ?? squeeze(message.word);
  const longEnough = message.word.length >= 3 || (message.word.length >= 2 && message.word.length >= phrase.word.length);
  if (longEnough && folded.length >= 2 && folded === (phrase.squeezed ?? squeeze(phrase.word))) return true;
  // Same stem: "parla" and "parlare". Short words share stems by accident ("fino", "finisci"), so only longer ones.
  if (message.word.length >= 5 && phrase.word.length >= 5 && message.stem.length >= 4 && message.stem === phrase.stem) return true;
  const allowed = Math.min(tolerance(message.word.length), tolerance(phrase.word.length));
  // A short word may only have two letters swapped ("hlep", "knwo"), never the first.
  if (allowed === 0) return message.word.length === 4 && phrase.word.length === 4 && swapped(message.word, phrase.word);
  if (Math.abs(message.word.length - phrase.word.length) > allowed) return false;
  // The first letter is rarely the mistyped one; requiring it keeps "fix" and "six" apart.
  if (message.word[0] !== phrase.word[0]) return false;
  return typo(message.word, phrase.word, allowed);
}

/** Whether two words of the same length differ only by two neighbouring letters swapped, after the first. */
function swapped(a: string, b: string): boolean {
  if (a[0] !== b[0]) return false;
  let i = 1;
  while (i < a.length && a[i] === b[i]) i++;
  if (i >= a.length - 1) return false;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * Whether two words are within `allowed` typing mistakes (Damerau-Levenshtein). Most pairs differ in more letters
 * than that, which counting letters shows at once; the rest are remembered (the same pairs come back in every
 * message). Bounded: the memory starts over when full.
 */
const TYPO_MEMORY = 50000;
const typoMemory = new Map<string, boolean>();

function typo(a: string, b: string, allowed: number): boolean {
  if (bagDistance(a, b) > allowed) return false;
  const key = `${a}\u0000${b}\u0000${allowed}`;
  let known = typoMemory.get(key);
  if (known === undefined) {
    if (typoMemory.size >= TYPO_MEMORY) typoMemory.clear();
    known = DamerauLevenshteinDistance(a, b) <= allowed;
    typoMemory.set(key, known);
  }
  return known;
}

/**
 * A lower bound of the edit distance: the letters one word has more of than the other (a substitution changes two
 * counts, an insertion or deletion one, a transposition none).
 */
function bagDistance(a: string, b: string): number {
  // Normalized words are ASCII letters and digits; one table of counts serves every call.
  letterCounts.fill(0);
  for (let i = 0; i < a.length; i++) letterCounts[a.charCodeAt(i) & 127]!++;
  for (let i = 0; i < b.length; i++) letterCounts[b.charCodeAt(i) & 127]!--;
  let more = 0;
  let fewer = 0;
  for (const n of letterCounts) {
    if (n > 0) more += n;
    else fewer -= n;
  }
  return Math.max(more, fewer);
}
const letterCounts = new Int16Array(128);

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
function occurrences<K extends string>(message: Word[], phrase: Phrase<K>, starts: number[]): Found<K>[] {
  const out: Found<K>[] = [];
  const n = phrase.words.length;
  const matches = (i: number, k: number): boolean => i < message.length && sameWord(message[i]!, phrase.words[k]!);
  for (const start of starts) {
    if (!sameWord(message[start]!, phrase.words[0]!)) continue;
    const covered = [start];
    let at = start;
    for (let k = 1; k < n; k++) {
      const next = matches(at + 1, k) ? at + 1 : matches(at + 2, k) ? at + 2 : undefined;
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
  // The words of a text are shared (see wordsOf), so what was found in them is remembered per list: a message is
  // read against the same lists by more than one reader in a turn.
  let known = foundIn.get(message);
  if (!known) foundIn.set(message, (known = new Map()));
  let found = known.get(phrases) as Found<K>[] | undefined;
  if (!found) known.set(phrases, (found = find(message, phrases)));
  return found.slice();
}

const foundIn = new WeakMap<Word[], Map<Phrase<string>[], Found<string>[]>>();

function find<K extends string>(message: Word[], phrases: Phrase<K>[]): Found<K>[] {
  // Every occurrence, longest first; between equally long ones, the one written exactly wins over a typo or stem
  // match ("buona giornata" is a goodbye, not "buon giorno").
  const all: { found: Found<K>; weight: number; exact: number; order: number }[] = [];
  const index = byFirstLetter(phrases);
  const startsAt = new Map<string, number[]>();
  message.forEach((w, i) => {
    const letter = w.word[0];
    if (letter === undefined) return;
    const list = startsAt.get(letter);
    if (list) list.push(i);
    else startsAt.set(letter, [i]);
  });
  for (const [letter, starts] of startsAt) {
    for (const order of index.get(letter) ?? []) {
      const phrase = phrases[order]!;
      if (phrase.words.length > message.length) continue;
      for (const found of occurrences(message, phrase, starts)) {
        const exact = found.covered.filter((i, k) => message[i]!.word === phrase.words[k]!.word).length;
        all.push({ found, weight: phrase.weight, exact, order });
      }
    }
  }
  // Then the one without an extra word inside ("no sirvió" over "ya [y] no").
  const span = (f: Found<K>): number => f.end - f.start;
  all.sort((a, b) => b.weight - a.weight || b.exact - a.exact || span(a.found) - span(b.found) || a.order - b.order);
  const taken = new Set<number>();
  const out: Found<K>[] = [];
  for (const { found } of all) {
    if (found.covered.some((i) => taken.has(i))) continue;
    found.covered.forEach((i) => taken.add(i));
    out.push(found);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The phrases of a list by the first letter of their first word, worked out once per list: a message word can only
 * match a phrase word with the same first letter (the same word, the same stem, letters repeated, or a typo, which
 * keeps the first letter), so only those phrases are tried.
 */
const indexes = new WeakMap<Phrase<string>[], Map<string, number[]>>();

function byFirstLetter(phrases: Phrase<string>[]): Map<string, number[]> {
  let index = indexes.get(phrases);
  if (index) return index;
  index = new Map();
  phrases.forEach((phrase, order) => {
    const letter = phrase.words[0]?.word[0];
    if (letter === undefined) return;
    const list = index!.get(letter);
    if (list) list.push(order);
    else index!.set(letter, [order]);
  });
  indexes.set(phrases, index);
  return index;
}

export function compile<K extends string>(kind: K, texts: string[], locale: string): Phrase<K>[] {
  return texts
    .map((text) => wordsOf(text, locale))
    .filter((words) => words.length > 0)
    .map((words) => ({ kind, words, weight: words.length }));
}

/** Longest first, so that "not at all" is read before "not". */
export const byWeight = <K extends string>(phrases: Phrase<K>[]): Phrase<K>[] => [...phrases].sort((a, b) => b.weight - a.weight);
