import { DEFAULT_LOCALE, readLocaleFile } from '../knowledge/locales';
import { normalize } from '../nlu/text';
import { isFiller, lexicon } from './lexicon';
import { compile, findPhrases, Found, Phrase, sameWord, Word, wordsOf } from './phrases';
import { withKnownWords } from './vocabulary';

/**
 * Readers for what people type at a card's own prompt: a button's label typed instead of pressed, a question about
 * a step, a polite "thanks anyway", an explicit skip. Their words are the "cardReplies" entry of
 * locales/<lng>/replies.json (English is read in every language too, as for the other replies).
 */

/** The keys of the "cardReplies" entry, each a list of phrases. */
export const CARD_REPLY_KEYS = [
  'question',
  'anyway',
  'acknowledge',
  'skip',
  'ownDevice',
  'companyDevice',
  'portal',
  'withdraw',
  'waitNo',
  'agree',
  'sendIt',
] as const;
type CardReplyKey = (typeof CARD_REPLY_KEYS)[number];

const phrases = new Map<string, Phrase<CardReplyKey>[]>();

function cardPhrases(locale: string, key: CardReplyKey): Phrase<CardReplyKey>[] {
  const id = `${locale}:${key}`;
  const cached = phrases.get(id);
  if (cached) return cached;
  const out: Phrase<CardReplyKey>[] = [];
  for (const source of locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE]) {
    const data = readLocaleFile(source, 'replies.json')?.cardReplies as Record<string, string[]> | undefined;
    out.push(...compile(key, data?.[key] ?? [], source));
  }
  phrases.set(id, out);
  return out;
}

const content = (text: string, locale: string): Word[] => {
  const lex = lexicon(locale);
  return wordsOf(text, locale).filter((w) => !isFiller(lex, w));
};
const negated = (words: Word[], locale: string): boolean => findPhrases(words, lexicon(locale).pick(['negation'])).length > 0;

/**
 * Which of the labels on screen the message types out: the label itself, or part of it with nothing else
 * ("send it to IT" for "Send it to IT now", "envíalo a TI" for "Enviarlo a TI ahora"). A negation must be on both
 * sides ("ha servido" is not "No ha servido"). Returns the label's index, or undefined.
 */
export function readLabel(text: string, locale: string, labels: string[]): number | undefined {
  const n = normalize(text);
  if (!n) return undefined;
  const exact = labels.findIndex((l) => normalize(l) === n);
  if (exact >= 0) return exact;
  // "personal" is a word of its own, not "person" of "Talk to a person".
  const mine = withKnownWords(content(text, locale), locale);
  if (mine.length === 0) return undefined;
  const matching = labels
    .map((label, i) => ({ i, words: content(label, locale) }))
    .filter(({ words }) => {
      if (words.length === 0 || negated(words, locale) !== negated(mine, locale)) return false;
      if (!mine.every((w) => words.some((o) => sameWord(w, o)))) return false;
      return words.filter((o) => mine.some((w) => sameWord(w, o))).length / words.length >= 0.5;
    });
  return matching.length === 1 ? matching[0]!.i : undefined;
}

/** A question ("how do I back up?", "devo davvero cancellare tutto?", "y si no quiero borrar mi iphone?"). */
export function readQuestion(text: string, locale: string): boolean {
  if (text.includes('?') || text.includes('¿')) return true;
  const words = wordsOf(text, locale);
  return findPhrases(words, cardPhrases(locale, 'question')).some((f) => f.start === 0);
}

/**
 * A thank-you that declines an offer: thanks with "anyway" ("thanks anyway", "ok grazie lo stesso", "gracias de
 * todas formas"), or thanks with nothing but an acknowledgement ("vale gracias", "ok thanks"). "Sì grazie" is a yes.
 */
export function readPoliteDecline(text: string, locale: string): boolean {
  const words = wordsOf(text, locale);
  const lex = lexicon(locale);
  const thanks = findPhrases(words, lex.pick(['thanks']));
  if (thanks.length === 0) return false;
  if (findPhrases(words, cardPhrases(locale, 'anyway')).length > 0) return true;
  // The words that are thanks on their own ("grazie", not the "va bene" of "va bene grazie").
  const thanked = new Set(words.flatMap((w, i) => (findPhrases([w], lex.pick(['thanks'])).length > 0 ? [i] : [])));
  const covered = new Set([...thanks, ...findPhrases(words, cardPhrases(locale, 'acknowledge'))].flatMap((f) => f.covered));
  // A yes beyond the acknowledgement ("sì", "yes", "please") makes it a "yes, thanks"; so does a yes of more than one
  // word that is not the thanks itself, an agreement rather than an "ok" ("va bene grazie", "de acuerdo, gracias").
  const yesFound = findPhrases(words, lex.pick(['yes']));
  if (yesFound.some((f) => f.covered.some((i) => !covered.has(i)))) return false;
  if (yesFound.some((f) => f.covered.length > 1 && !f.covered.some((i) => thanked.has(i)))) return false;
  return words.every((w, i) => covered.has(i) || isFiller(lex, w));
}

/**
 * Taking back the request for a person just before the ticket: "don't send it", "no lo envíes", "mejor no", "non
 * serve più", "I changed my mind". A description that merely starts with "no" ("no me deja inscribirlo") is not one.
 */
export function readWithdrawal(text: string, locale: string): boolean {
  const words = wordsOf(text, locale);
  if (findPhrases(words, cardPhrases(locale, 'withdraw')).length > 0) return true;
  // "No wait", "aspetta, no", "no espera": taking it back when that is all the message says; "no wait, the message is
  // AccountNotOnboarded" goes on to describe the problem.
  const wait = findPhrases(words, cardPhrases(locale, 'waitNo'));
  if (wait.length === 0) return false;
  const lex = lexicon(locale);
  const covered = new Set([...wait, ...findPhrases(words, lex.pick(['no', 'negation', 'thanks']))].flatMap((f) => f.covered));
  return words.every((w, i) => covered.has(i) || isFiller(lex, w));
}

/**
 * Whether the message is only an acknowledgement ("ok", "vale", "ok perfect", "va bene", "listo", 👍): every word a yes,
 * a word of acknowledgement or a filler. "Ya funciona" says something works: it is news, not an acknowledgement.
 * `plain`: only words of acknowledgement ("ok", "vale"), not a yes ("sí", "yes" answer "did that fix it?").
 */
export function readAcknowledgement(text: string, locale: string, plain = false): boolean {
  const words = wordsOf(text, locale);
  const lex = lexicon(locale);
  const found = [...(plain ? [] : findPhrases(words, lex.pick(['yes']))), ...findPhrases(words, cardPhrases(locale, 'acknowledge'))];
  if (found.length === 0) return false;
  const covered = new Set(found.flatMap((f) => f.covered));
  return words.every((w, i) => covered.has(i) || isFiller(lex, w));
}

/** Asking to send the case on: "send it to IT", "envíalo a TI", "mandalo all'IT", "ok mandalo". */
export function readSendIt(text: string, locale: string): boolean {
  return findPhrases(wordsOf(text, locale), cardPhrases(locale, 'sendIt')).length > 0 && !readWithdrawal(text, locale);
}

/**
 * Agreeing words of a card's own: acknowledgements ("ok", "vale", "perfetto"), agreeing to what was proposed ("that
 * works", "me vale", "mi sta bene": as written, since "that worked" is news) and asking to send the case on
 * ("mandalo", "send it"), where they are in the message.
 */
export function readAssent(words: Word[], locale: string): Found<CardReplyKey>[] {
  const agree: Found<CardReplyKey>[] = [];
  for (const p of cardPhrases(locale, 'agree')) {
    for (let start = 0; start + p.words.length <= words.length; start++) {
      if (p.words.every((w, k) => words[start + k]!.word === w.word)) {
        const covered = p.words.map((_, k) => start + k);
        agree.push({ kind: 'agree', start, end: start + p.words.length - 1, covered });
      }
    }
  }
  return [...findPhrases(words, cardPhrases(locale, 'acknowledge')), ...agree, ...findPhrases(words, cardPhrases(locale, 'sendIt'))];
}

/**
 * At the note before a ticket: send it without one. A skip, "send it", "nothing more" or thanks, with nothing else
 * but a yes, an acknowledgement or fillers: "vale, mándalo", "just send it", "nada más, gracias", "no niente,
 * grazie", "envíalo así", "gracias". A bare yes is not one (it may be the start of a note: asked again).
 */
export function readNoNote(text: string, locale: string): boolean {
  if (readSkip(text, locale)) return true;
  const words = wordsOf(text, locale);
  const lex = lexicon(locale);
  const saying = [
    ...findPhrases(words, cardPhrases(locale, 'sendIt')),
    ...findPhrases(words, cardPhrases(locale, 'skip')),
    ...findPhrases(words, lex.pick(['thanks'])),
  ];
  if (saying.length === 0 || readWithdrawal(text, locale)) return false;
  const along = [...findPhrases(words, lex.pick(['yes'])), ...findPhrases(words, cardPhrases(locale, 'acknowledge'))];
  const covered = new Set([...saying, ...along].flatMap((f) => f.covered));
  return words.every((w, i) => covered.has(i) || isFiller(lex, w));
}

/** An explicit skip, the whole message: "skip", "omitir", "salta", "nothing to add", a bare "no". */
export function readSkip(text: string, locale: string): boolean {
  const n = normalize(text);
  return !!n && cardPhrases(locale, 'skip').some((p) => p.words.map((w) => w.word).join(' ') === n);
}

/**
 * Whose device it is, in the employee's words: their own ("personal", "es mío", "è il mio telefono personale") or
 * one the company gave them ("company phone", "me lo dio la empresa", "aziendale"). The Company Portal app's name
 * ("portale aziendale") says neither; the company wins over "my" ("il mio telefono aziendale").
 */
export function readDeviceOwner(text: string, locale: string): 'own' | 'company' | undefined {
  const words = wordsOf(text, locale);
  const portal = new Set(findPhrases(words, cardPhrases(locale, 'portal')).flatMap((f) => f.covered));
  const rest = words.map((w, i) => (portal.has(i) ? { word: '', stem: '' } : w));
  if (findPhrases(rest, cardPhrases(locale, 'companyDevice')).length > 0) return 'company';
  if (findPhrases(rest, cardPhrases(locale, 'ownDevice')).length > 0) return 'own';
  return undefined;
}

/** The share of the message's own words (not fillers) that a label uses: "Configuration Manager 2309" is not ADE's. */
export function labelShare(text: string, locale: string, label: string): number {
  const mine = content(text, locale);
  if (mine.length === 0) return 0;
  const theirs = content(label, locale);
  return mine.filter((w) => theirs.some((o) => sameWord(w, o))).length / mine.length;
}

/** A "no" said as such ("no", "no thanks", "non serve"), not only a negated verb ("non ha funzionato"). */
export function readPlainNo(text: string, locale: string): boolean {
  return findPhrases(wordsOf(text, locale), lexicon(locale).pick(['no'])).length > 0;
}
