import { isFiller, Lexicon } from './lexicon';
import { byWeight, findPhrases, Found, Phrase, sameWord, Word, wordsOf } from './phrases';

/**
 * The parts of reading a choice among the options on screen that look at the options themselves: where an option
 * stands, what its words and meanings are, the version range it names, the acronym of its name. understand.ts
 * puts them together with the readers of yes, no and "I don't know" (readChoice).
 */

export interface ChoiceOption {
  id: string;
  /** The texts the user sees for this option (a title, a description). */
  labels: string[];
}

export const SOMETHING_ELSE = 'something-else';

/**
 * What a choice was read from: an option that says "I don't know", its position, "something else", a yes or a no
 * for an option that starts with one, a number within an option's range (a version, a count), a meaning (or an acronym) the
 * option shares, or only words of its label (which a caller may want to be most of the message).
 */
export type ChoiceBasis = 'dontKnow' | 'position' | 'somethingElse' | 'polarity' | 'number' | 'meaning' | 'words';
export interface Choice {
  id: string;
  by: ChoiceBasis;
}

const merged = new WeakMap<Lexicon, Phrase<string>[]>();

/**
 * The meaning classes with one phrase per wording: a wording several classes list ("email" is an account and the
 * mail app, "iphone" a phone and iOS) is one phrase whose kind names them all ("user|email"), so that a word never
 * has to belong to one class only.
 */
export function meaningPhrases(lex: Lexicon): Phrase<string>[] {
  const known = merged.get(lex);
  if (known) return known;
  const byText = new Map<string, Phrase<string>>();
  for (const p of lex.meanings) {
    const key = p.words.map((w) => w.word).join(' ');
    const same = byText.get(key);
    if (!same) byText.set(key, { ...p });
    else if (!same.kind.split('|').includes(p.kind)) same.kind = `${same.kind}|${p.kind}`;
  }
  const list = byWeight([...byText.values()]);
  merged.set(lex, list);
  return list;
}

/** The classes a phrase found by meaningPhrases stands for. */
export const classesOf = (f: Found<string>): string[] => f.kind.split('|');

/** The meaning classes a text says ("the latest" is `higher`, "celu" is `phone`). */
export function meaningsOf(lex: Lexicon, words: Word[]): Set<string> {
  return new Set(findPhrases(words, meaningPhrases(lex)).flatMap(classesOf));
}

/**
 * The position (1-based) of an option among `count` on screen when that is all the message says: "2", "option 2",
 * "the second one", "el último", "quello in mezzo". With `alone` false, a position anywhere in the message.
 */
export function positionIn(lex: Lexicon, words: Word[], count: number, alone: boolean): number | undefined {
  const content = words.filter((w) => !isFiller(lex, w));
  const valid = (n: number): number | undefined => (n >= 1 && n <= count ? n : undefined);
  const digits = content.filter((w) => /^[0-9]+$/.test(w.word));
  // "option 3", "la 3"; but "iphone 13", "mi ipad 9": a number after a word that names a thing is its model.
  const named = content.some((w) => w !== digits[0] && meaningsOf(lex, [w]).size > 0);
  if (digits.length === 1 && content.length <= 2 && !named) return valid(Number(digits[0]!.word));
  const found = findPhrases(words, lex.ordinals);
  const ordinals = [...new Set(found.map((f) => f.kind))];
  if (ordinals.length === 1) {
    const covered = new Set([...found, ...findPhrases(words, lex.numbers)].flatMap((f) => f.covered));
    const rest = words.filter((w, i) => !covered.has(i) && !isFiller(lex, w));
    if (alone && rest.length > 0) return undefined;
    const at = ordinals[0]!;
    if (at === 'middle') return count % 2 === 1 && count > 1 ? (count + 1) / 2 : undefined;
    return valid(at === 'last' ? count : Number(at));
  }
  if (content.length === 1) {
    const number = findPhrases(content, lex.numbers)[0];
    if (number) return valid(Number(number.kind));
  }
  return undefined;
}

/**
 * Whether the number or position word of the message is part of a longer meaning phrase: "las dos" and "tutti e
 * due" say "both", not "the second".
 */
export function positionInsideMeaning(lex: Lexicon, words: Word[]): boolean {
  const numbers = new Set([...findPhrases(words, lex.numbers), ...findPhrases(words, lex.ordinals)].flatMap((f) => f.covered));
  words.forEach((w, i) => {
    if (/^[0-9]+$/.test(w.word)) numbers.add(i);
  });
  return findPhrases(words, meaningPhrases(lex)).some((f) => f.covered.length > 1 && f.covered.some((i) => numbers.has(i)));
}

/** The numbers an option stands for: from `lo` to `hi` (either open), each end in the range or not. */
interface Interval {
  lo: number;
  hi: number;
  /** Both ends named: "iOS 16", "2-5 devices" (a number of the message within it is that option, not a position). */
  closed: boolean;
}

const NUMBER = /^[0-9]+$/;

/**
 * The numbers an option names: "iOS 16" (16.x), "2-5 devices", "iOS 17 or later", "17 o posterior", "iOS 17+",
 * "more than 5" (above), "iOS 16 or earlier", "Older than iOS 16", "Anterior a iOS 16", "fewer than 3" (below).
 * The words of a range are the `higher` and `lower` meaning classes; after the number they include it ("17 or
 * later"), before it they do not ("older than 16").
 */
function intervalOf(lex: Lexicon, label: string): Interval | undefined {
  const words = wordsOf(label, lex.locale);
  const at = words.flatMap((w, i) => (NUMBER.test(w.word) ? [i] : []));
  if (at.length === 2 && at[1]! - at[0]! <= 2) {
    const [a, b] = [Number(words[at[0]!]!.word), Number(words[at[1]!]!.word)];
    return a < b ? { lo: a, hi: b + 1, closed: true } : undefined;
  }
  if (at.length !== 1) return undefined;
  const n = Number(words[at[0]!]!.word);
  if (/\d\s*\+/.test(label)) return { lo: n, hi: Infinity, closed: false };
  const range = findPhrases(words, meaningPhrases(lex)).find((f) => classesOf(f).some((c) => c === 'higher' || c === 'lower'));
  if (!range) return { lo: n, hi: n + 1, closed: true };
  const inclusive = range.start > at[0]!;
  return classesOf(range).includes('higher')
    ? { lo: inclusive ? n : n + 1, hi: Infinity, closed: false }
    : { lo: -Infinity, hi: inclusive ? n + 1 : n, closed: false };
}

/** The first number of the message, its major part ("16.5" is 16); not a number that is part of a word ("4g"). */
function numberIn(text: string): number | undefined {
  const m = /(?<![\p{L}\p{N}])(\d{1,4})(?:[.,]\d+)*(?![\p{L}\p{N}])/u.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** A number written as a word ("two", "cinco", "tre"), when the message has no digits. */
function numberWordIn(lex: Lexicon, text: string): number | undefined {
  const found = findPhrases(wordsOf(text, lex.locale), lex.numbers)[0];
  return found ? Number(found.kind) : undefined;
}

/**
 * The option whose numbers hold the number in the message ("ios 18" is "iOS 17 or later", "16.5" is "iOS 16",
 * "really old, like 15" is "Older than iOS 16", "3" is "2-5 devices"); an option that names both ends wins over an
 * open range. Only when two options or more name numbers. With `closedOnly`, only an option naming both ends
 * counts (a bare "3" is then that option rather than the third).
 */
export function byNumber(lex: Lexicon, text: string, options: ChoiceOption[], closedOnly = false): string | undefined {
  const intervals = options.map((o) => o.labels.map((l) => intervalOf(lex, l)).find((v) => v !== undefined));
  if (intervals.filter(Boolean).length < 2) return undefined;
  const n = numberIn(text) ?? numberWordIn(lex, text);
  if (n === undefined) return undefined;
  for (const closed of closedOnly ? [true] : [true, false]) {
    const at = intervals.flatMap((v, i) => (v && v.closed === closed && n >= v.lo && n < v.hi ? [i] : []));
    if (at.length === 1) return options[at[0]!]!.id;
    if (at.length > 1) return undefined;
  }
  return undefined;
}

/**
 * The acronyms of a label's capitalized names of three words or more: "Apple Business Manager" is ABM, "Bring Your
 * Own Device" BYOD, "Mobile Device Management" MDM.
 */
export function acronymsOf(label: string): string[] {
  const tokens = label.split(/[\s/()[\],;:]+/).map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''));
  const out: string[] = [];
  let run: string[] = [];
  const close = (): void => {
    if (run.length >= 3) out.push(run.map((t) => t[0]!.toLowerCase()).join(''));
    run = [];
  };
  for (const t of tokens) {
    if (/^\p{Lu}/u.test(t)) run.push(t);
    else close();
  }
  close();
  return out;
}

/** A label, and with names written as one word split into theirs ("AccountNotOnboarded": "Account Not Onboarded"). */
function withNamesSplit(label: string): string[] {
  const split = label.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2');
  return split === label ? [label] : [label, split];
}

interface OwnWord {
  word: Word;
  /** Part of a longer meaning phrase ("Company" of "Company-owned device"). */
  inPhrase: boolean;
  /** A word of a meaning class on its own ("aziendale", "email"): its classes. */
  classes: string[];
}

/**
 * The option whose words or meanings the message uses, each weighing less the more options share it. A meaning is
 * a class of words and phrases that say the same thing (locales/<lng>/replies.json "meaning": "settings" is
 * "Ajustes", "Impostazioni", "config"; "before" is "used to", "until yesterday", "hace dos días"). Words inside a
 * longer meaning phrase count by that meaning ("Portale aziendale" is the app, not a company device), except that a
 * word of the message that has no meaning of its own may still be one of them ("company" for "Company-owned
 * device"). An acronym of an option's name ("ABM") counts as a meaning.
 */
export function byWords(lex: Lexicon, words: Word[], options: ChoiceOption[]): Choice | undefined {
  // "no", "not", "non" say nothing about which option it is (they are in many labels): meanings carry them.
  const negations = new Set(
    lex
      .pick(['negation'])
      .filter((p) => p.words.length === 1)
      .map((p) => p.words[0]!.word),
  );
  const ownWords = (ws: Word[]): OwnWord[] => {
    const found = findPhrases(ws, meaningPhrases(lex));
    const inPhrase = new Set(found.filter((f) => f.covered.length > 1).flatMap((f) => f.covered));
    const single = new Map(found.filter((f) => f.covered.length === 1).map((f) => [f.start, classesOf(f)]));
    return ws.flatMap((w, i) =>
      isFiller(lex, w) || negations.has(w.word) ? [] : [{ word: w, inPhrase: inPhrase.has(i), classes: single.get(i) ?? [] }],
    );
  };
  const texts = options.map((o) => o.labels.flatMap(withNamesSplit));
  const optionWords = texts.map((ls) => ls.flatMap((l) => ownWords(wordsOf(l, lex.locale)).filter((w) => w.word.word.length > 1)));
  const optionMeanings = texts.map((ls) => {
    const all = new Set<string>();
    for (const l of ls) for (const m of meaningsOf(lex, wordsOf(l, lex.locale))) all.add(m);
    return all;
  });
  const optionAcronyms = options.map((o) => new Set(o.labels.flatMap(acronymsOf)));
  const scores = options.map(() => 0);
  const byMeaning = options.map(() => false);
  const add = (matching: boolean[], meaning: boolean): void => {
    const count = matching.filter(Boolean).length;
    if (count === 0 || count === options.length) return;
    matching.forEach((m, i) => {
      if (!m) return;
      scores[i]! += 1 / count;
      if (meaning) byMeaning[i] = true;
    });
  };
  const shared = (classes: string[]): boolean => classes.some((c) => optionMeanings.some((ms) => ms.has(c)));
  for (const w of ownWords(words)) {
    if (w.inPhrase) continue;
    // A word whose meaning an option has counts by that meaning, not twice.
    // Only a word with no meaning of its own is looked for inside the options' meaning phrases, and there only as
    // written ("funcionaba" is not the "funcionado" of "Nunca ha funcionado").
    const matches = (o: OwnWord): boolean =>
      o.inPhrase ? w.classes.length === 0 && o.word.word === w.word.word : sameWord(w.word, o.word);
    if (!shared(w.classes))
      add(
        optionWords.map((ws) => ws.some(matches)),
        false,
      );
    add(
      optionAcronyms.map((a) => a.has(w.word.word)),
      true,
    );
  }
  for (const meaning of meaningsOf(lex, words))
    add(
      optionMeanings.map((ms) => ms.has(meaning)),
      true,
    );
  const best = Math.max(...scores);
  if (best <= 0 || scores.filter((s) => s === best).length > 1) return undefined;
  const at = scores.indexOf(best);
  return { id: options[at]!.id, by: byMeaning[at] ? 'meaning' : 'words' };
}

/**
 * The option a message in another language the bot speaks means ("nunca" in an English or Italian chat): the
 * message's meaning classes in its language against the options' in theirs (a class has the same name in every
 * language). Only a meaning counts, never a mere word.
 */
export function byForeignMeanings(lex: Lexicon, foreign: Lexicon, text: string, options: ChoiceOption[]): Choice | undefined {
  const said = meaningsOf(foreign, wordsOf(text, foreign.locale));
  if (said.size === 0) return undefined;
  const optionMeanings = options.map((o) => new Set(o.labels.flatMap((l) => [...meaningsOf(lex, wordsOf(l, lex.locale))])));
  const scores = options.map(() => 0);
  for (const meaning of said) {
    const matching = optionMeanings.map((ms) => ms.has(meaning));
    const count = matching.filter(Boolean).length;
    if (count === 0 || count === options.length) continue;
    matching.forEach((m, i) => {
      if (m) scores[i]! += 1 / count;
    });
  }
  const best = Math.max(...scores);
  if (best <= 0 || scores.filter((x) => x === best).length > 1) return undefined;
  return { id: options[scores.indexOf(best)]!.id, by: 'meaning' };
}
