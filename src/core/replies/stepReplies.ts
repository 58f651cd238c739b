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
export const CAUSE_CARD_KEYS = [
  'another',
  'nowWhat',
  'general',
  'ask',
  'did',
  'triedBefore',
  'unsure',
  'unwilling',
  'alternative',
] as const;
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
 * Whether the message asks something about the card, with or without accents and question marks: "que significa
 * eso", "y eso que es", "como?", "what does that mean", "cosa vuol dire", "dimmi cosa fare". A question word that
 * is part of a yes ("cómo no") does not count; a question of three words or more counts anywhere ("basta che
 * funzioni, dimmi cosa fare"). A question is never an answer to the card. `marks`: whether a
 * question mark alone makes it one.
 */
export function readCardQuestion(text: string, locale: string, marks = true): boolean {
  if (marks && (text.includes('?') || text.includes('¿'))) return true;
  const lex = lexicon(locale);
  const words = wordsOf(text, locale);
  const yes = new Set(findPhrases(words, lex.pick(['yes'])).flatMap((f) => f.covered));
  const content = words.filter((w) => !isFiller(lex, w)).length;
  // A question word alone is a question only as the whole message ("como", "huh"): "que bien, ya funciona" is not.
  return findPhrases(words, causeCardPhrases(locale, 'ask')).some(
    (f) => (f.start <= 1 || f.covered.length >= 3) && !f.covered.every((i) => yes.has(i)) && (f.covered.length > 1 || content === 1),
  );
}

/**
 * What the message says of the card's step, when it says it was done: "before", done before the card showed it
 * ("already did that yesterday", "ya lo intenté 3 veces", "l'ho già reinstallata ieri": the user is still here, so it
 * did not help); "now", just done ("ya lo hice", "ya quité uno", "ok l'ho fatto": whether it works now is still to
 * be said); undefined when it says neither. `rest` is what the message says besides ("ya lo hice y sigue igual").
 */
export function readStepReport(text: string, locale: string): { when: 'before' | 'now'; rest: string } | undefined {
  const words = wordsOf(text, locale);
  const did = findPhrases(words, causeCardPhrases(locale, 'did'));
  // A word of time alone ("ayer", "volte") says "before" only next to a step done or tried.
  const before = findPhrases(words, causeCardPhrases(locale, 'triedBefore')).filter((f) => f.covered.length > 1 || did.length > 0);
  if (did.length === 0 && before.length === 0) return undefined;
  const covered = new Set([...did, ...before].flatMap((f) => f.covered));
  const rest = words
    .filter((_, i) => !covered.has(i))
    .map((w) => w.word)
    .join(' ');
  return { when: before.length > 0 ? 'before' : 'now', rest };
}

/** Not sure yet whether it worked: "creo que ya, a ver", "i think so", "vediamo". */
export function readUnsure(text: string, locale: string): boolean {
  return findPhrases(wordsOf(text, locale), causeCardPhrases(locale, 'unsure')).length > 0;
}

/**
 * The user will not do the step and asks for another way: "I don't want to erase my iPhone, is there another
 * option?", "no quiero borrar mi iphone, hay otra opcion?", "non voglio cancellare l'iphone, c'è un'altra soluzione?".
 * Not wanting is enough when it says what ("no quiero borrar mi iphone"); a bare "no quiero" is a no.
 */
export function readRefusal(text: string, locale: string): boolean {
  const words = wordsOf(text, locale);
  // Said first ("no quiero…", "pero no quiero…"): "¿y si no quiero borrar mi iphone?" asks what would happen.
  const unwilling = findPhrases(words, causeCardPhrases(locale, 'unwilling')).filter((f) => f.start <= 1);
  if (unwilling.length === 0) return false;
  if (findPhrases(words, causeCardPhrases(locale, 'alternative')).length > 0) return true;
  const lex = lexicon(locale);
  const covered = new Set(unwilling.flatMap((f) => f.covered));
  return words.some((w, i) => !covered.has(i) && !isFiller(lex, w));
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
