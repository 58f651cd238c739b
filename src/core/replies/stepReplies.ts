import { DEFAULT_LOCALE, readLocaleFile } from '../knowledge/locales';
import { isFiller, lexicon } from './lexicon';
import { compile, findPhrases, Phrase, sameWord, Word, wordsOf } from './phrases';
import { asksAboutOwnStep } from './understand';

/**
 * Readers for what people type about a cause card's steps and causes: asking for another possible cause ("next",
 * "la siguiente", "un'altra"), saying a step is done and asking what comes next ("removed one, now what?"), and
 * which parts of the card a question is about. Their words are the "causeCard" entry of locales/<lng>/replies.json
 * (English is read in every language too, as for the other replies).
 */

/** The keys of the "causeCard" entry, each a list of phrases. */
export const CAUSE_CARD_KEYS = ['another', 'nowWhat', 'general'] as const;
type CauseCardKey = (typeof CAUSE_CARD_KEYS)[number];

const phrases = new Map<string, Phrase<CauseCardKey>[]>();

function causeCardPhrases(locale: string, key: CauseCardKey): Phrase<CauseCardKey>[] {
  const id = `${locale}:${key}`;
  const cached = phrases.get(id);
  if (cached) return cached;
  const out: Phrase<CauseCardKey>[] = [];
  for (const source of locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE]) {
    const data = readLocaleFile(source, 'replies.json')?.causeCard as Record<string, string[]> | undefined;
    out.push(...compile(key, data?.[key] ?? [], source));
  }
  phrases.set(id, out);
  return out;
}

/**
 * Whether the message asks to see another possible cause, and says little else: "next", "skip", "what else could
 * it be?", "la siguiente", "¿qué más puede ser?", "avanti", "vedi un'altra causa". A negation makes it something else.
 */
export function readAnotherCause(text: string, locale: string): boolean {
  const words = wordsOf(text, locale);
  if (words.length === 0) return false;
  const lex = lexicon(locale);
  const found = findPhrases(words, causeCardPhrases(locale, 'another'));
  if (found.length === 0 || findPhrases(words, lex.pick(['negation'])).length > 0) return false;
  const covered = new Set(found.flatMap((f) => f.covered));
  const left = words.filter((w, i) => !covered.has(i) && !isFiller(lex, w)).length;
  return left === 0 || (left === 1 && words.length >= 3);
}

/**
 * Whether the message reports a step done and asks what comes next: "removed one, now what?", "ya lo quité, ¿y
 * ahora?", "fatto, e adesso?".
 */
export function readStepDone(text: string, locale: string): boolean {
  return findPhrases(wordsOf(text, locale), causeCardPhrases(locale, 'nowWhat')).length > 0;
}

/**
 * The words of a question that can tell the parts of a card apart: not fillers, not question words, not words
 * every card uses ("iphone", "device", "work").
 */
function telling(text: string, locale: string): Word[] {
  const lex = lexicon(locale);
  const words = wordsOf(text, locale);
  const general = new Set(
    [...findPhrases(words, causeCardPhrases(locale, 'general')), ...findPhrases(words, causeCardPhrases(locale, 'nowWhat'))].flatMap(
      (f) => f.covered,
    ),
  );
  const questionWords = new Set(
    findPhrases(words, lex.pick(['selfQuestion', 'negation', 'yes', 'no', 'thanks'])).flatMap((f) => f.covered),
  );
  return words.filter((w, i) => !general.has(i) && !questionWords.has(i) && !isFiller(lex, w) && w.word.length >= 3 && !w.digits);
}

/**
 * Which of the card's parts (its steps, notes, what IT does, its links' labels) a question is about: those that
 * share the most telling words with it, at most two; none when no part shares one, or when more than two share as
 * many (the question names nothing of one part). "How do I cancel the profile installation?" is the step "Cancel
 * any profile installation that's in progress"; "come rimuovo un dispositivo?" is "rimuovi uno dei tuoi
 * dispositivi".
 */
export function partsAbout(text: string, locale: string, parts: string[]): number[] {
  const mine = telling(text, locale);
  if (mine.length === 0) return [];
  const scores = parts.map((part) => {
    const theirs = wordsOf(part, locale);
    return mine.filter((w) => theirs.some((o) => sameWord(w, o))).length;
  });
  const best = Math.max(0, ...scores);
  if (best === 0) return [];
  const chosen = scores.flatMap((s, i) => (s === best ? [i] : []));
  return chosen.length <= 2 ? chosen : [];
}

/** Which of the steps a message names ("removed one" is "remove one of your enrolled devices"): its index, or undefined. */
export function stepNamed(text: string, locale: string, steps: string[]): number | undefined {
  const about = partsAbout(text, locale, steps);
  return about.length === 1 ? about[0] : undefined;
}

/**
 * Whether the message says in words of its own that a fix did not work ("didn't help", "sigue igual", "non è
 * servito"), beyond a plain "no" or "no thanks".
 */
export function saysNotFixed(text: string, locale: string): boolean {
  return findPhrases(wordsOf(text, locale), lexicon(locale).pick(['notFixed', 'still', 'trouble'])).length > 0;
}

/**
 * Whether a message with a question in it reports first that the fix failed ("didn't help, what else could it be?",
 * "sigue igual, ¿qué hago?"), rather than asking about a step ("¿y si sigue saliendo el error?").
 */
export function reportsNotFixed(text: string, locale: string): boolean {
  const found = findPhrases(wordsOf(text, locale), lexicon(locale).pick(['notFixed', 'still']));
  return found.length > 0 && !asksAboutOwnStep(text, locale);
}
