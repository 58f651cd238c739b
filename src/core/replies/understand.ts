import { CommandKind, isFiller, Kind, Lexicon, lexicon, REPLY_KINDS } from './lexicon';
import { findPhrases, Found, sameWord, Word, wordsOf } from './phrases';
import { withKnownWords } from './vocabulary';

/**
 * Reads what people type at each point of the conversation: yes or no, whether a fix worked, "I don't know", a
 * choice among the options on screen, a rating, small talk, a command. Each reader answers for one kind of prompt;
 * undefined means the reply does not answer it (the dialog then asks once more, saying what it expects).
 */

interface Reading {
  lex: Lexicon;
  words: Word[];
  found: Found<Kind>[];
}

function read(text: string, locale: string, kinds: readonly Kind[]): Reading {
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  return { lex, words, found: findPhrases(words, lex.pick(kinds)) };
}

const has = (r: { found: Found<string>[] }, ...kinds: string[]): boolean => r.found.some((f) => kinds.includes(f.kind));
const first = (r: { found: Found<string>[] }, kind: string): Found<string> | undefined => r.found.find((f) => f.kind === kind);

/** Words of the message no phrase explains and that are not mere fillers ("the", "please", "now"). */
function unexplained(lex: Lexicon, words: Word[], found: Found<string>[]): Word[] {
  const covered = new Set(found.flatMap((f) => f.covered));
  return words.filter((w, i) => !covered.has(i) && !isFiller(lex, w));
}

/**
 * The message says this and little else: every word explained, or one word left in a message of three or more,
 * or a third of a longer one. Framing words ("the whole conversation", "sorry") count as explained.
 */
function explained(r: Reading, share = 1 / 3): boolean {
  if (r.found.every((f) => f.kind === 'scope' || f.kind === 'domain')) return false;
  if (has(r, 'domain')) return false;
  const left = unexplained(r.lex, r.words, r.found).length;
  return left === 0 || (left === 1 && r.words.length >= 3) || (r.words.length >= 5 && left / r.words.length <= share);
}

const FRAME: Kind[] = ['scope', 'domain'];

export type Confirmation = 'yes' | 'no';

/** A yes/no question ("Shall I hand this over to a person?"). A "no" anywhere wins: "ok, no thanks" is a no. */
export function readConfirmation(text: string, locale: string): Confirmation | undefined {
  const r = read(text, locale, ['yes', 'no', 'negation', 'dontKnow', 'thanks']);
  if (r.words.length === 0) return undefined;
  if (has(r, 'no', 'negation')) return 'no';
  if (has(r, 'yes')) return 'yes';
  return undefined;
}

export type Outcome = 'fixed' | 'not-fixed' | 'person' | 'dont-know';

const OUTCOME_KINDS: Kind[] = [...REPLY_KINDS, 'contrast', 'negation', 'still', 'works', 'trouble', 'appears', 'now', 'knowing', ...FRAME];

/**
 * Whether the fix on a cause card worked. Anything that says it still fails wins over a leading yes: a contrast
 * ("yes, but…"), "still", a negated "works", an error still named. A negated error is a fix ("no more errors").
 * A bare yes counts only when the message is little more than that yes (Italian "si" is also a pronoun:
 * "si blocca ancora" is not a yes).
 */
export function readOutcome(text: string, locale: string): Outcome | undefined {
  const r = read(text, locale, OUTCOME_KINDS);
  if (r.words.length === 0) return undefined;
  if (readCommand(text, locale) === 'person') return 'person';
  if (has(r, 'notFixed', 'still')) return 'not-fixed';
  const contrast = first(r, 'contrast');
  if (contrast && contrast.end < r.words.length - 1) return 'not-fixed';
  if (has(r, 'negation', 'no')) {
    if (has(r, 'dontKnow') || has(r, 'knowing')) return 'dont-know';
    // "no more errors", "the error doesn't show anymore": the trouble is negated, not the fix.
    if (has(r, 'trouble', 'appears') && !has(r, 'works', 'fixed')) return 'fixed';
    return 'not-fixed';
  }
  if (has(r, 'fixed')) return 'fixed';
  if (has(r, 'trouble')) return 'not-fixed';
  if (has(r, 'dontKnow')) return 'dont-know';
  if (has(r, 'yes') && explained(r)) return 'fixed';
  // "yes, now it shows up in Company Portal", "ya tengo el correo": a change for the better, nothing failing.
  if (has(r, 'now') && (has(r, 'yes') || r.words.length >= 2)) return 'fixed';
  return undefined;
}

/** "I don't know", "no idea", "boh", "ni idea", "I can't remember". */
export function readDontKnow(text: string, locale: string): boolean {
  const r = read(text, locale, ['dontKnow', 'negation', 'no', 'knowing', 'scope']);
  const says = has(r, 'dontKnow') || (has(r, 'negation', 'no') && has(r, 'knowing'));
  if (!says) return false;
  const left = unexplained(r.lex, r.words, r.found).length;
  return left <= 1 || left / r.words.length <= 0.5;
}

export type SmallTalk = 'greeting' | 'thanks' | 'goodbye';

/**
 * A message that is only small talk: "hi there", "thanks a lot!", "ok bye", "grazie, utilissimo". Thanks wins over
 * the rest. Praise, "ok" and "it works" may come along; one more word may too ("thanks heaps").
 */
export function readSmallTalk(text: string, locale: string): SmallTalk | undefined {
  const r = read(text, locale, ['thanks', 'goodbye', 'greeting', 'leaving']);
  if (r.found.length === 0) return undefined;
  // "I have to go", "buon weekend", "me despido": taking leave in a sentence is a goodbye.
  if (has(r, 'leaving') && !has(r, 'goodbye')) r.found = r.found.map((f) => (f.kind === 'leaving' ? { ...f, kind: 'goodbye' } : f));
  const taken = new Set(r.found.flatMap((f) => f.covered));
  const rest = r.words.map((w, i) => (taken.has(i) ? { word: '', stem: '' } : w));
  const along = [...findPhrases(rest, r.lex.pick(['yes', 'fixed', 'scope', 'domain'])), ...findPhrases(rest, r.lex.ratings)];
  if (along.some((f) => f.kind === 'domain')) return undefined;
  if (unexplained(r.lex, r.words, [...r.found, ...along]).length > 1) return undefined;
  if (has(r, 'thanks')) return 'thanks';
  // "ciao" greets and takes leave; with "ok", "bene", "grazie" around it, it takes leave.
  const leaving = has(r, 'goodbye') || (along.length > 0 && !has({ found: along }, 'domain'));
  return leaving && (has(r, 'goodbye') || hello(r)) ? 'goodbye' : has(r, 'greeting') ? 'greeting' : undefined;
}

/** A greeting word that is also a goodbye in this language ("ciao", "chao"). */
function hello(r: Reading): boolean {
  const goodbyes = r.lex.pick(['goodbye']);
  return r.found.some(
    (f) =>
      f.kind === 'greeting' &&
      f.covered.length === 1 &&
      goodbyes.some((g) => g.words.length === 1 && g.words[0]!.word === r.words[f.start]!.word),
  );
}

export type Command = CommandKind | 'language';
export interface CommandReading {
  command: Command;
  /** For "language": the language asked for. */
  locale?: string;
}

const PRIORITY: Command[] = ['person', 'restart', 'cancel', 'help', 'language'];
const COMMAND_CUES: Kind[] = [
  'negation',
  'contactVerb',
  'human',
  'restartVerb',
  'again',
  'newThing',
  'stopVerb',
  'continueVerb',
  'helpQuestion',
  'helpTopic',
  ...FRAME,
];

/** Whether `b` follows `a` within a few words ("talk to a colleague in IT", "speak with an engineer"). */
const near = (a: Found<string>, b: Found<string>, within = 4): boolean => b.start > a.end && b.start - a.end <= within;

/**
 * A command typed at any point, in any of the bot's languages: help, cancel, start over, a language, a person.
 * The message must be the command ("can you help me?", "annulla tutto", "english"), or made of a command's parts
 * ("start from scratch", "stop the whole thing", "what can you do"); asking for a person may also be part of a
 * sentence ("can I talk to a person please"), unless it is negated. A message about the device is never a command.
 */
export function readCommandFull(text: string, locale: string): CommandReading | undefined {
  if (/^[\s?¿]+$/.test(text) && text.includes('?')) return { command: 'help' };
  const lex = lexicon(locale);
  // A word of the chat's language is not a typo of a command word ("personal", "listo", "cancellare").
  const words = withKnownWords(wordsOf(text.replace(/^\s*\//, ''), lex.locale), lex.locale);
  if (words.length === 0 || words.length > 30) return undefined;
  const phrases = findPhrases(words, lex.commands);
  const cues: Reading = { lex, words, found: findPhrases(words, lex.pick(COMMAND_CUES)) };
  // The cues read around the command phrases, so that both explain the message together.
  const taken = new Set(phrases.flatMap((f) => f.covered));
  const around = cues.found.filter((f) => !f.covered.some((i) => taken.has(i)));
  const all: Reading = { lex, words, found: [...phrases, ...around] as Found<Kind>[] };
  const whole = explained(all);
  const negations = around.filter((f) => f.kind === 'negation');
  const negated = (f: Found<string>): boolean => negations.some((n) => n.start < f.start && f.start - n.end <= 3);
  const candidates: CommandReading[] = [];
  for (const f of phrases) {
    const [kind, language] = f.kind.split(':') as [Command, string | undefined];
    // "didn't help", "no ayudó", "non voglio una persona": a negated help or person is an answer, not a command.
    if ((kind === 'person' || kind === 'help') && negated(f)) continue;
    const inside = kind === 'person' && f.end > f.start && !has(cues, 'domain');
    if (whole || inside) candidates.push(language ? { command: 'language', locale: language } : { command: kind });
  }
  const of = (kind: Kind): Found<string>[] => cues.found.filter((f) => f.kind === kind);
  const byParts: Reading = { lex, words, found: cues.found };
  const partsExplain = explained(byParts);
  if (of('contactVerb').some((v) => of('human').some((h) => near(v, h) && !negated(v))) && !has(cues, 'domain'))
    candidates.push({ command: 'person' });
  if (partsExplain) {
    if (has(cues, 'restartVerb') && has(cues, 'again', 'newThing')) candidates.push({ command: 'restart' });
    if (has(cues, 'newThing') && of('scope').length > 0 && !has(cues, 'stopVerb')) candidates.push({ command: 'restart' });
    if (has(cues, 'stopVerb') && !has(cues, 'restartVerb')) candidates.push({ command: 'cancel' });
    if (of('continueVerb').some((c) => negated(c))) candidates.push({ command: 'cancel' });
    if (has(cues, 'human') && !has(cues, 'helpQuestion') && cues.found.every((f) => f.kind === 'human' || f.kind === 'scope'))
      candidates.push({ command: 'person' });
  }
  if (of('helpQuestion').some((h) => !negated(h)) && !has(cues, 'domain') && unexplained(lex, words, cues.found).length === 0)
    candidates.push({ command: 'help' });
  candidates.sort((a, b) => PRIORITY.indexOf(a.command) - PRIORITY.indexOf(b.command));
  return candidates[0];
}

export function readCommand(text: string, locale: string): Command | undefined {
  return readCommandFull(text, locale)?.command;
}

export interface ChoiceOption {
  id: string;
  /** The texts the user sees for this option (a title, a description). */
  labels: string[];
}

export const SOMETHING_ELSE = 'something-else';

/**
 * One of the options on screen, by its number ("2"), position ("the second one", "el último", "l'ultimo") or words
 * ("the server one", "el del servidor", "quello del server"), or "something else" / "none of these".
 * Returns the option's id, SOMETHING_ELSE, or undefined.
 */
export function readChoice(text: string, locale: string, options: ChoiceOption[]): string | undefined {
  const position = readPosition(text, locale, options.length);
  if (position !== undefined) return options[position - 1]!.id;
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  if (words.length === 0 || options.length === 0) return undefined;
  const r = read(text, locale, ['somethingElse', 'scope']);
  if (has(r, 'somethingElse') && explained(r)) return SOMETHING_ELSE;
  return byWords(
    lex,
    words.filter((w) => !isFiller(lex, w)),
    options,
  );
}

/** The position (1-based) of an option among `count` on screen: "2", "option 2", "the second one", "el último". */
export function readPosition(text: string, locale: string, count: number): number | undefined {
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  const content = words.filter((w) => !isFiller(lex, w));
  const valid = (n: number): number | undefined => (n >= 1 && n <= count ? n : undefined);
  const digits = content.filter((w) => /^[0-9]+$/.test(w.word));
  if (digits.length === 1 && content.length <= 2) return valid(Number(digits[0]!.word));
  const ordinals = [...new Set(findPhrases(words, lex.ordinals).map((f) => f.kind))];
  if (ordinals.length === 1) return valid(ordinals[0] === 'last' ? count : Number(ordinals[0]));
  if (content.length === 1) {
    const number = findPhrases(content, lex.numbers)[0];
    if (number) return valid(Number(number.kind));
  }
  return undefined;
}

/** The option whose words the message uses, each word weighing less the more options share it. */
function byWords(lex: Lexicon, content: Word[], options: ChoiceOption[]): string | undefined {
  const optionWords = options.map((o) =>
    o.labels.flatMap((l) => wordsOf(l, lex.locale)).filter((w) => !isFiller(lex, w) && w.word.length > 1),
  );
  const scores = options.map(() => 0);
  for (const w of content) {
    const matching = optionWords.map((ws) => ws.some((o) => sameWord(w, o)));
    const count = matching.filter(Boolean).length;
    if (count === 0 || count === options.length) continue;
    matching.forEach((m, i) => {
      if (m) scores[i]! += 1 / count;
    });
  }
  const best = Math.max(...scores);
  if (best <= 0 || scores.filter((s) => s === best).length > 1) return undefined;
  return options[scores.indexOf(best)]!.id;
}

const EMOJI_RATINGS: [RegExp, number][] = [
  [/👎|😡|😠|🤬/u, 1],
  [/😞|🙁|☹|😕/u, 2],
  [/😐|🤷/u, 3],
  [/👍|🙂|😊|👌/u, 4],
  [/😍|🤩|❤|💯|🥰|😀|😃|🎉/u, 5],
];

/** A rating of one to five: stars ("★★★★", "4 stars", "4/5", "8/10"), a number, or words ("very helpful", "meh"). */
export function readRating(text: string, locale: string): number | undefined {
  const starChars = [...text].filter((c) => c === '★' || c === '⭐' || c === '🌟').length;
  if (starChars >= 1 && starChars <= 5) return starChars;
  const asterisks = text.trim().match(/^\*{1,5}$/);
  if (asterisks) return asterisks[0].length;
  const outOfTen = text.match(/\b(10|[0-9])\s*(\/|out of|de|su|sobre)\s*10\b/i);
  if (outOfTen) return Math.min(5, Math.max(1, Math.round(Number(outOfTen[1]) / 2)));
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  const digits = words.filter((w) => /^[0-9]+$/.test(w.word)).map((w) => Number(w.word));
  if (digits.length >= 1 && digits[0]! >= 1 && digits[0]! <= 5) return digits[0];
  const hasStars = findPhrases(words, lex.stars).length > 0;
  const numbers = findPhrases(words, lex.numbers);
  if (numbers.length > 0 && (hasStars || words.filter((w) => !isFiller(lex, w)).length === 1)) {
    const n = Number(numbers[0]!.kind);
    if (n >= 1 && n <= 5) return n;
  }
  const ratings = findPhrases(words, lex.ratings);
  if (ratings.length > 0) {
    // The longest phrase says most ("not very helpful" over "helpful"); among equals, the last word counts.
    const best = ratings.reduce((a, b) => (b.covered.length >= a.covered.length ? b : a));
    return Number(best.kind);
  }
  for (const [re, n] of EMOJI_RATINGS) if (re.test(text)) return n;
  return undefined;
}

/** A message about something the bot does not cover: another app, a password, a printer, a laptop. */
export function readOutOfScope(text: string, locale: string): boolean {
  const lex = lexicon(locale);
  return findPhrases(wordsOf(text, lex.locale), lex.outOfScope).length > 0;
}
