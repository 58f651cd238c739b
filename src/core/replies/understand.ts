import { supportedLocales } from '../knowledge/locales';
import { COMMAND_PART_KINDS, CommandKind, isFiller, Kind, Lexicon, lexicon, REPLY_KINDS } from './lexicon';
import {
  byForeignMeanings,
  byNumber,
  byWords,
  Choice,
  ChoiceOption,
  classesOf,
  meaningPhrases,
  meaningsOf,
  positionIn,
  positionInsideMeaning,
  SOMETHING_ELSE,
} from './choice';
import { byWeight, findPhrases, Found, Phrase, sameWord, Word, wordsOf } from './phrases';
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

/** A phrase of one letter ("y", "n"). */
const singleLetter = (r: Reading, f: Found<string>): boolean => f.covered.length === 1 && (r.words[f.start]?.word.length ?? 0) === 1;

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
export function readConfirmation(text: string, locale: string, others = true): Confirmation | undefined {
  const r = read(text, locale, ['yes', 'no', 'negation', 'dontKnow', 'thanks']);
  if (r.words.length === 0) return undefined;
  // A yes or no of one letter ("y", "n", "k") is one only on its own or with other answers ("k thanks"): as a word of
  // a sentence it is something else (Spanish "y" is "and").
  r.found = r.found.filter((f) => !singleLetter(r, f) || r.words.every((_, i) => r.found.some((g) => g.covered.includes(i))));
  // A no with a negation in it ("no", "no thanks", "not now") wins anywhere; one without ("después", "aspetta") only
  // when it is what the message says, not a word of a sentence about something else.
  const negative = saysNoWord(r);
  if (has(r, 'negation') || negative || (has(r, 'no') && explained(r))) return 'no';
  // A question with a yes word in it ("¿y eso qué significa?") asks something; it agrees to nothing.
  if (has(r, 'yes')) return /[?¿]/.test(text) && unexplained(r.lex, r.words, r.found).length > 0 ? undefined : 'yes';
  // A bare yes or no of another language the bot speaks ("sí" in an English chat), as commands work in every one.
  if (!others) return undefined;
  for (const other of supportedLocales()) {
    if (other === locale) continue;
    const answer = readConfirmation(text, other, false);
    if (answer && explained(read(text, other, ['yes', 'no', 'negation', 'thanks']))) return answer;
  }
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
  const outcome = outcomeOf(text, locale);
  if (outcome !== 'fixed') return outcome;
  // Never a fix: a question ("how do I cancel the profile installation?"), or saying one will try ("ok lo intento",
  // "va bene, ci provo"): the card keeps waiting for how it went.
  if (/[?¿]/.test(text) || asksAboutOwnStep(text, locale) || has(read(text, locale, ['attempt']), 'attempt')) return undefined;
  return outcome;
}

const NEGATION_WORD = /^(no|non|not|nope|nah)$/;
const hasNegationWord = (r: Reading, f: Found<string>): boolean => f.covered.some((i) => NEGATION_WORD.test(r.words[i]?.word ?? ''));

/** The one-word negations of a lexicon ("niente", "nada", "nothing"), worked out once. */
const negationWords = new WeakMap<Lexicon, Set<string>>();
function negationWordsOf(lex: Lexicon): Set<string> {
  let words = negationWords.get(lex);
  if (!words) {
    words = new Set(
      lex
        .pick(['negation'])
        .filter((p) => p.words.length === 1)
        .map((p) => p.words[0]!.word),
    );
    negationWords.set(lex, words);
  }
  return words;
}
/** A "no" that is a negation word of its own ("sì l'ho fatto, niente", "lo reinicié y nada"): nothing happened. */
const saysNothing = (r: Reading): boolean =>
  r.found.some((f) => f.kind === 'no' && f.covered.length === 1 && negationWordsOf(r.lex).has(r.words[f.start]?.word ?? ''));
/**
 * A "no" phrase with a negation word in it ("no", "no thanks", "not now", "para nada", "per niente"), not one such
 * as "después" or "aspetta".
 */
const saysNoWord = (r: Reading): boolean =>
  r.found.some(
    (f) =>
      f.kind === 'no' &&
      (hasNegationWord(r, f) || (f.covered.length > 1 && f.covered.some((i) => negationWordsOf(r.lex).has(r.words[i]?.word ?? '')))),
  );

/** Whether a negation stands within two words of the trouble or its appearing, before or after it. */
function negatesTrouble(r: Reading): boolean {
  const negations = r.found.filter((f) => f.kind === 'negation' || (f.kind === 'no' && f.covered.length === 1 && hasNegationWord(r, f)));
  const troubles = r.found.filter((f) => f.kind === 'trouble' || f.kind === 'appears');
  return negations.some((n) => troubles.some((t) => (n.end < t.start ? t.start - n.end : n.start - t.end) <= 2));
}

function outcomeOf(text: string, locale: string): Outcome | undefined {
  const r = read(text, locale, OUTCOME_KINDS);
  if (r.words.length === 0) return undefined;
  if (readCommand(text, locale) === 'person') return 'person';
  if (has(r, 'notFixed', 'still')) return 'not-fixed';
  const contrast = first(r, 'contrast');
  // "yes, but…" with anything after the "but", or a contrast that says more than "but" ("pero sigue").
  if (contrast && (contrast.end < r.words.length - 1 || contrast.covered.length > 1)) return 'not-fixed';
  // A no without a negation word ("espera", "hold on", "later") is not an outcome unless it is the whole message.
  if (has(r, 'no') && !has(r, 'negation') && !saysNoWord(r) && !saysNothing(r) && !has(r, 'fixed', 'notFixed', 'works', 'trouble'))
    return undefined;
  if (has(r, 'negation', 'no')) {
    if (has(r, 'dontKnow') || has(r, 'knowing')) return 'dont-know';
    // "no more errors", "the error doesn't show anymore": the trouble is negated, not the fix.
    // The negation must be about the trouble, next to it ("no more errors", "l'errore non c'è più"): "no wait, the
    // message is AccountNotOnboarded" names a new error, it does not deny one.
    if (has(r, 'trouble', 'appears') && !has(r, 'works') && negatesTrouble(r)) return 'fixed';
    if (has(r, 'trouble') && !has(r, 'works', 'fixed')) return undefined;
    return 'not-fixed';
  }
  // "hecho, y sale el error", "done, and the error shows up": an error that appears is still failing.
  if (has(r, 'trouble') && has(r, 'appears')) return 'not-fixed';
  if (has(r, 'fixed')) return 'fixed';
  if (has(r, 'trouble')) return 'not-fixed';
  if (has(r, 'dontKnow')) return 'dont-know';
  if (has(r, 'yes') && explained(r)) return 'fixed';
  // "listo, ya aparece como conforme", "yes, it shows up": a yes with the thing now showing, nothing failing.
  const denies = r.words.some((w) => negationWordsOf(r.lex).has(w.word));
  if (has(r, 'yes') && has(r, 'appears') && !denies) return 'fixed';
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
 * A message that is only small talk: "hi there", "thanks a lot!", "ok bye", "grazie, utilissimo". Taking leave wins
 * over thanks, and thanks over a greeting. Praise, "ok" and "it works" may come along; one more word may too ("thanks heaps").
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
  // "buenas tardes, disculpe la molestia", "salve, avrei bisogno di una mano": a greeting with a polite phrase or a
  // request for a hand, and no problem described, is a greeting.
  if (has(r, 'greeting') && !has(r, 'thanks', 'goodbye')) {
    const polite = findPhrases(rest, r.lex.pick(['polite']));
    if (polite.length > 0 && unexplained(r.lex, r.words, [...r.found, ...along, ...polite]).length <= 1) return 'greeting';
  }
  if (unexplained(r.lex, r.words, [...r.found, ...along]).length > 1) return undefined;
  // "bye, thanks", "adiós gracias", "arrivederci e grazie": taking leave with thanks is a goodbye.
  if (has(r, 'goodbye')) return 'goodbye';
  // A thanks phrase may have taken a word of the goodbye ("ok thanks, see you"): read the goodbye on its own too.
  if (has(r, 'thanks') && has(read(text, locale, ['goodbye', 'leaving']), 'goodbye', 'leaving')) return 'goodbye';
  if (has(r, 'thanks')) return 'thanks';
  // "ciao" greets and takes leave; with "ok", "bene", "grazie" around it, it takes leave.
  const leaving = has(r, 'goodbye') || along.some((f) => f.kind !== 'scope' && f.kind !== 'domain');
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
/** The parts of each command, read apart so that a word one command needs is not taken by another's part. */
const PERSON_PARTS: Kind[] = ['negation', 'contactVerb', 'human', 'who', 'channel', ...FRAME];
const RESTART_PARTS: Kind[] = ['negation', 'restartVerb', 'again', 'newThing', 'stopVerb', ...FRAME];
const CANCEL_PARTS: Kind[] = ['negation', 'stopVerb', 'continueVerb', 'restartVerb', 'helpQuestion', 'stopReason', ...FRAME];
const REPORT: Kind[] = ['fixed', 'notFixed', 'still', 'trouble', 'works'];
const HELP_PARTS: Kind[] = ['negation', 'helpQuestion', 'helpTopic', 'thanks', ...FRAME];
/** "can you help with iPad enrollment?", "¿ayudas con el iPad?": asking whether the bot covers something. */
const HELP_WITH_PARTS: Kind[] = ['helpWith', 'helpQuestion', 'helpTopic', ...REPORT, ...FRAME];
/** "I don't know how to use you", "no sé cómo usarte", "non capisco come usarti". */
const USING_PARTS: Kind[] = ['negation', 'knowing', 'dontKnow', 'helpQuestion', 'usingBot', ...FRAME];
/** Every word class a command is made of (what a language request may also contain). */
const COMMAND_CUES: Kind[] = ['negation', ...COMMAND_PART_KINDS, ...FRAME];

/** Whether `b` follows `a` within a few words ("talk to a colleague in IT", "speak with an engineer"). */
const BOT_WORD = /^(bot|chatbot)$/;
const near = (a: Found<string>, b: Found<string>, within = 4): boolean => b.start > a.end && b.start - a.end <= within;
/** Whether `a` and `b` stand within a few words of each other, in either order ("by phone, can you call me"). */
const nextTo = (a: Found<string>, b: Found<string>, within = 3): boolean => near(a, b, within) || near(b, a, within);

/**
 * "IT" in capitals in a message that is not all capitals is the IT department ("get IT on the line", "I need IT"),
 * not the English pronoun.
 */
const withDepartment = (text: string): string => (/\p{Ll}/u.test(text) ? text.replace(/(?<!['’])\bIT\b/g, 'helpdesk') : text);

/**
 * A command typed at any point, in any of the bot's languages: help, cancel, start over, a language, a person.
 * The message must be the command ("can you help me?", "annulla tutto", "english"), or made of a command's parts
 * ("start from scratch", "stop the whole thing", "what can you do"); asking for a person may also be part of a
 * sentence ("can I talk to a person please"), unless it is negated. A message about the device is never a command,
 * and thanks for the help ("thanks for your help", "I appreciate your help") is not asking for it.
 */
export function readCommandFull(text: string, locale: string): CommandReading | undefined {
  if (/^[\s?¿]+$/.test(text) && text.includes('?')) return { command: 'help' };
  const lex = lexicon(locale);
  const typed = withDepartment(text.replace(/^\s*\//, ''));
  // A word of the chat's language is not a typo of a command word ("personal", "listo", "cancellare").
  const words = withKnownWords(wordsOf(typed, lex.locale), lex.locale);
  if (words.length === 0 || words.length > 30) return undefined;
  const phrases = findPhrases(words, lex.commands);
  // Every reading of this message uses these words, so a known word is never a typo of a command's part either.
  const readWords = (kinds: readonly Kind[]): Reading => ({ lex, words, found: findPhrases(words, lex.pick(kinds)) });
  // "al telefono", "by phone" is how to be reached, not the device.
  const cues = readWords(['negation', 'thanks', 'channel', ...FRAME]);
  // The framing words read around the command phrases, so that both explain the message together.
  const taken = new Set(phrases.flatMap((f) => f.covered));
  const around = cues.found.filter((f) => !f.covered.some((i) => taken.has(i)));
  const all: Reading = { lex, words, found: [...phrases, ...around] as Found<Kind>[] };
  const whole = explained(all);
  // "stop, I'll do it later", "ho cambiato idea, annulla", "cancela, no hace falta seguir": a cancel with its reason.
  const withReasons = readWords(['negation', 'thanks', 'channel', 'stopReason', ...FRAME]);
  const reasons = withReasons.found.filter((f) => !f.covered.some((i) => taken.has(i)));
  const wholeWithReason =
    has({ found: reasons }, 'stopReason') && explained({ lex, words, found: [...phrases, ...reasons] as Found<Kind>[] });
  const negations = around.filter((f) => f.kind === 'negation');
  const negated = (f: Found<string>): boolean => negations.some((n) => n.start < f.start && f.start - n.end <= 3);
  const thanked = has(cues, 'thanks');
  // "I restarted it again, same error", "lo reinicié otra vez y nada": a report on a step, not a command.
  const reported = readWords(REPORT).found;
  const report = (own: Found<string>[]): boolean => {
    const mine = new Set(own.flatMap((f) => f.covered));
    return reported.some((f) => f.covered.some((i) => !mine.has(i)));
  };
  const help = readWords(HELP_PARTS);
  const helpByParts =
    help.found.some((h) => h.kind === 'helpQuestion' && !negated(h)) &&
    !has(help, 'domain', 'thanks') &&
    unexplained(lex, words, help.found).length === 0;
  const restart = readWords(RESTART_PARTS);
  const cancel = readWords(CANCEL_PARTS);
  // "call it off", "call the whole thing off": a request for a person inside a stop verb's phrase is no call.
  const stopping = new Set(cancel.found.filter((f) => f.kind === 'stopVerb').flatMap((f) => f.covered));
  const candidates: CommandReading[] = [];
  for (const f of phrases) {
    const [kind, language] = f.kind.split(':') as [Command, string | undefined];
    // "didn't help", "no ayudó", "non voglio una persona": a negated help or person is an answer, not a command.
    if ((kind === 'person' || kind === 'help') && negated(f)) continue;
    if (kind === 'person' && f.covered.every((i) => stopping.has(i))) continue;
    if (kind === 'help' && thanked) continue;
    if (kind === 'restart' && report([f, ...restart.found])) continue;
    if (kind === 'cancel' && report([f, ...cancel.found])) continue;
    if (kind === 'cancel' && wholeWithReason) {
      candidates.push({ command: 'cancel' });
      continue;
    }
    // "what do you support": a question about the bot, not a request for the support team.
    if (kind === 'person' && f.end === f.start && helpByParts) continue;
    // "the support bot", "il bot del supporto": a word for the helpdesk naming the bot is the bot, not a person.
    if (kind === 'person' && f.end === f.start && words.some((w, i) => BOT_WORD.test(w.word) && Math.abs(i - f.start) <= 2)) continue;
    const inside = kind === 'person' && f.end > f.start && !has(cues, 'domain');
    if (language ? (whole && !has(read(text, locale, ['appears']), 'appears')) || asksForLanguage(text, locale) : whole || inside)
      candidates.push(language ? { command: 'language', locale: language } : { command: kind });
  }
  const person = readWords(PERSON_PARTS);
  const ofPerson = (kind: Kind): Found<string>[] =>
    person.found.filter((f) => f.kind === kind && !(kind === 'contactVerb' && f.covered.every((i) => stopping.has(i))));
  if (ofPerson('contactVerb').some((v) => ofPerson('human').some((h) => near(v, h) && !negated(v))) && !has(person, 'domain'))
    candidates.push({ command: 'person' });
  // "who can I talk to?", "con chi posso parlare?"; "can you call me by phone?", "¿me pueden atender por teléfono?".
  const reached = ofPerson('contactVerb').some(
    (v) => !negated(v) && (ofPerson('who').some((w) => nextTo(w, v)) || ofPerson('channel').some((c) => nextTo(v, c))),
  );
  if (reached && !has(person, 'domain') && !report(person.found)) candidates.push({ command: 'person' });
  if (
    unexplained(lex, words, person.found).length === 0 &&
    has(person, 'human') &&
    !helpByParts &&
    person.found.every((f) => f.kind === 'human' || f.kind === 'scope')
  )
    candidates.push({ command: 'person' });
  if (!report(restart.found) && explained(restart) && !has(restart, 'stopVerb')) {
    const verbs = restart.found.filter((f) => f.kind === 'restartVerb').length;
    // "start over", "take me back to the start", "volver a empezar", "a new chat".
    const agains = restart.found.filter((f) => f.kind === 'again').length;
    if (verbs > 0 && (has(restart, 'again', 'newThing') || verbs >= 2)) candidates.push({ command: 'restart' });
    // "di nuovo dall'inizio", "otra vez de cero", "once more from the top".
    if (agains >= 2) candidates.push({ command: 'restart' });
    if (has(restart, 'newThing') && has(restart, 'scope')) candidates.push({ command: 'restart' });
  }
  if (!report(cancel.found) && explained(cancel)) {
    if (has(cancel, 'stopVerb') && !has(cancel, 'restartVerb')) candidates.push({ command: 'cancel' });
    if (cancel.found.some((c) => c.kind === 'continueVerb' && negated(c))) candidates.push({ command: 'cancel' });
  }
  if (helpByParts) candidates.push({ command: 'help' });
  // A command word that is one only on its own: nothing else in the message but framing words ("fine", "fine chat").
  const lone = findPhrases(words, lex.alone);
  if (lone.length === 1) {
    const framed = findPhrases(words, lex.pick(['scope'])).filter((f) => !f.covered.some((i) => lone[0]!.covered.includes(i)));
    const covered = new Set([...lone, ...framed].flatMap((f) => f.covered));
    if (words.every((_, i) => covered.has(i))) candidates.push({ command: lone[0]!.kind });
  }
  // Asking whether the bot helps with something it covers: the device words are the topic, not a problem, as long as
  // nothing is said to fail ("can you help with iPad enrollment?", "aiuti anche con l'iPad?").
  const helpWith = readWords(HELP_WITH_PARTS);
  if (
    helpWith.found.some((f) => f.kind === 'helpWith' && !negated(f)) &&
    !helpWith.found.some((f) => (REPORT as string[]).includes(f.kind)) &&
    unexplained(lex, words, helpWith.found).length === 0
  )
    candidates.push({ command: 'help' });
  // Not knowing how to use the bot ("no sé cómo usarte", "I don't understand how to use this").
  // Asking how, or for help, to use it: "come ti faccio una domanda?", "necesito ayuda para usar el bot".
  const using = readWords(USING_PARTS);
  const helpPhrases = phrases.filter((f) => f.kind === 'help');
  const notKnowing =
    has(using, 'dontKnow') ||
    (has(using, 'negation') && has(using, 'knowing')) ||
    helpPhrases.length > 0 ||
    using.found.some((f) => f.kind === 'helpQuestion' && f.start === 0);
  const usingHelp =
    notKnowing && has(using, 'usingBot') && !has(using, 'domain') && unexplained(lex, words, [...using.found, ...helpPhrases]).length === 0;
  if (usingHelp) candidates.push({ command: 'help' });
  // "necesito ayuda para usar el bot": "para" is "for" there; only a cancel phrase of its own stops a question on use.
  if (usingHelp && !phrases.some((f) => f.kind === 'cancel')) {
    const kept = candidates.filter((c) => c.command !== 'cancel');
    candidates.splice(0, candidates.length, ...kept);
  }
  candidates.sort((a, b) => PRIORITY.indexOf(a.command) - PRIORITY.indexOf(b.command));
  // "perché me lo chiedi?": asking why never stops the conversation nor starts it over; "lascia che provi", "let me
  // try": a stop word inside saying one will try is not a stop (unless a reason to stop comes with it).
  const asking = readWords(['why', 'attempt']);
  const why = asking.found.some((f) => f.kind === 'why' && (f.start === 0 || /\?\s*$/.test(text)));
  const tries = asking.found.filter((f) => f.kind === 'attempt');
  const stops = [...phrases.filter((f) => f.kind === 'cancel'), ...cancel.found.filter((f) => f.kind === 'stopVerb')];
  const inTry = (f: Found<string>): boolean => tries.some((t) => f.covered.some((i) => t.covered.includes(i)));
  const trying = stops.length > 0 && stops.every(inTry);
  if (why && !wholeWithReason) return candidates.find((c) => c.command !== 'cancel' && c.command !== 'restart');
  if (trying && !wholeWithReason) return candidates.find((c) => c.command !== 'cancel');
  return candidates[0];
}

/**
 * A language asked for in a sentence of any of the bot's languages, often the one asked for: "en español por favor"
 * or "puedes hablar en español?" in an English chat, "parli inglese?" in a Spanish one. Every word must be a command
 * word, a command cue, a verb of asking for a language ("switch", "habla", "passa") or a filler of that language; "me sale en inglés" says what the device shows, not a request.
 */
function asksForLanguage(text: string, chatLocale: string): boolean {
  return [chatLocale, ...supportedLocales().filter((l) => l !== chatLocale)].some((locale) => {
    const lex = lexicon(locale);
    const words = wordsOf(text.replace(/^\s*\//, ''), lex.locale);
    const phrases = findPhrases(words, lex.commands);
    const taken = new Set(phrases.flatMap((f) => f.covered));
    const cues = read(text, locale, [...COMMAND_CUES, 'languageVerb', 'appears']).found.filter((f) => !f.covered.some((i) => taken.has(i)));
    if (has({ found: cues }, 'domain', 'appears')) return false;
    return unexplained(lex, words, [...phrases, ...cues]).length === 0;
  });
}

/**
 * Whether the message asks about doing something oneself ("should I cancel?", "how do I cancel the profile
 * installation", "devo annullare?", "¿tengo que borrarlo?"): a question about a step, not a command to the bot.
 */
export function asksAboutOwnStep(text: string, locale: string): boolean {
  const r = read(text, locale, ['selfQuestion']);
  return has(r, 'selfQuestion') && r.found.some((f) => f.start <= 1);
}

export function readCommand(text: string, locale: string): Command | undefined {
  return readCommandFull(text, locale)?.command;
}

export { SOMETHING_ELSE } from './choice';
export type { Choice, ChoiceBasis, ChoiceOption } from './choice';

/**
 * One of the options on screen, read against whatever the options are: its number ("2"), position ("the second
 * one", "el último", "the middle one"), an option that is itself "I don't know" ("no idea", "boh"), "something else"
 * / "none of these", a yes or a no for options that start with one ("Yes, the Company Portal is installed": "yep I
 * have the app", "non ce l'ho"), a number within an option's range ("ios 18" for "iOS 17 or later", "3" for "2-5
 * devices"), or the
 * option's words and meanings ("the server one", "el del servidor", "it's a tablet" for "iPad", "4G" for "Mobile
 * data", "ABM" for "Apple Business Manager"). A position word that is also a content word ("prima funzionava":
 * "before" or "the first"; "las dos": "both") is read by its meaning first. Returns the option's id,
 * SOMETHING_ELSE, or undefined.
 */
export function readChoice(text: string, locale: string, options: ChoiceOption[]): string | undefined {
  return readChoiceFull(text, locale, options)?.id;
}

/** readChoice, with what the choice was read from (a caller may ask more of a choice made by a label's words only). */
export function readChoiceFull(text: string, locale: string, options: ChoiceOption[]): Choice | undefined {
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  if (words.length === 0 || options.length === 0) return undefined;
  if (readDontKnow(text, locale)) {
    // "no idea" picks the option that says so; with none on screen it picks nothing (never the "No, …" one). Unless
    // the rest of the message names another option: "el perfil no se instala" has a "no sé" in it.
    const unsure = options.filter((o) => o.labels.some((l) => readDontKnow(l, locale)));
    const named = byWords(lex, words, options);
    if (named && !unsure.some((o) => o.id === named.id)) return named;
    return unsure.length === 1 ? { id: unsure[0]!.id, by: 'dontKnow' } : undefined;
  }
  const position = positionIn(lex, words, options.length, true);
  // A bare number that an option names ("3" for "2-5 devices", "16" for "iOS 16") is that option, not a position;
  // so is a number with a comparison ("less than 3").
  const said = meaningsOf(lex, words);
  const compared = said.has('higher') || said.has('lower');
  const named = position === undefined ? undefined : byNumber(lex, text, options, !compared);
  if (named !== undefined) return { id: named, by: 'number' };
  if (position !== undefined) {
    const meant = positionInsideMeaning(lex, words) ? byWords(lex, words, options) : undefined;
    return meant ?? { id: options[position - 1]!.id, by: 'position' };
  }
  // A yes or a no first: at "Yes, …" / "No, …", "no aparece" is a no, not "none of these".
  const polar = byPolarity(text, locale, options);
  if (polar !== undefined) return { id: polar, by: 'polarity' };
  if (saysSomethingElse(lex, words)) return { id: SOMETHING_ELSE, by: 'somethingElse' };
  const number = byNumber(lex, text, options);
  if (number !== undefined) return { id: number, by: 'number' };
  const chosen = byWords(lex, words, options);
  if (chosen !== undefined) return chosen;
  const loose = positionIn(lex, words, options.length, false);
  if (loose !== undefined) return { id: options[loose - 1]!.id, by: 'position' };
  // A meaning in another language the bot speaks ("nunca" in an English chat), as a bare yes or a command is read.
  for (const other of supportedLocales()) {
    if (other === locale) continue;
    const meant = byForeignMeanings(lex, lexicon(other), text, options);
    if (meant) return meant;
  }
  return undefined;
}

/**
 * The position (1-based) of an option among `count` on screen when that is all the message says: "2", "option 2",
 * "the second one", "el último", "quello in mezzo".
 */
export function readPosition(text: string, locale: string, count: number): number | undefined {
  const lex = lexicon(locale);
  return positionIn(lex, wordsOf(text, lex.locale), count, true);
}

const somethingElseLists = new WeakMap<Lexicon, Phrase<string>[]>();

/**
 * "Something else", "none of these", "otra": all the message says. Read together with the meaning classes, so that
 * words of a longer meaning ("il profilo non c'è più": gone) are not taken for "it's not there" (not in the list).
 */
function saysSomethingElse(lex: Lexicon, words: Word[]): boolean {
  let list = somethingElseLists.get(lex);
  if (!list) somethingElseLists.set(lex, (list = byWeight<string>([...lex.pick(['somethingElse', 'scope']), ...meaningPhrases(lex)])));
  const found = findPhrases(words, list).flatMap((f): Found<Kind>[] => {
    if (f.kind === 'scope') return [f as Found<Kind>];
    return classesOf(f).includes('somethingElse') ? [{ ...f, kind: 'somethingElse' }] : [];
  });
  const r: Reading = { lex, words, found };
  return has(r, 'somethingElse') && explained(r);
}

/**
 * For options that start with a yes and a no ("Yes, the Company Portal is installed" / "No, it's not installed",
 * "Sì, …" / "No, …"): the one the message's yes or no picks. Without a yes or a no word, a negation is a no
 * ("haven't installed it", "non ce l'ho"), and saying one has it or it is there is a yes ("I have it", "lo tengo");
 * saying it is gone a no.
 */
function byPolarity(text: string, locale: string, options: ChoiceOption[]): string | undefined {
  // An option that is itself "I don't know" ("No lo sé") starts with no answer.
  const leads = options.map((o) => (readDontKnow(o.labels[0] ?? '', locale) ? undefined : leadingAnswer(o.labels[0] ?? '', locale)));
  const yes = options.filter((_, i) => leads[i] === 'yes');
  const no = options.filter((_, i) => leads[i] === 'no');
  if (yes.length !== 1 || no.length !== 1) return undefined;
  const said = readConfirmation(text, locale) ?? impliedConfirmation(text, locale, [yes[0]!, no[0]!]);
  return said === 'yes' ? yes[0]!.id : said === 'no' ? no[0]!.id : undefined;
}

/** The yes or no a label starts with: "Yes, …", "No, …", "Sí, …", a lone "Non" (not "No pasa nada" without a yes beside it). */
function leadingAnswer(label: string, locale: string): Confirmation | undefined {
  const comma = label.search(/[,:;]/);
  const head = comma > 0 ? label.slice(0, comma) : (label.trim().split(/\s+/)[0] ?? '');
  if (wordsOf(head, locale).length > 2) return undefined;
  return readConfirmation(head, locale, false);
}

/**
 * A yes or a no said without the word: a negation, or saying it is gone (`missing`), is a no; saying one has it or
 * it is there (`present`), or stating what both options are about ("it's installed"), a yes.
 */
function impliedConfirmation(text: string, locale: string, polar: ChoiceOption[]): Confirmation | undefined {
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  if (findPhrases(words, lex.pick(['negation'])).length > 0) return 'no';
  const meanings = meaningsOf(lex, words);
  if (meanings.has('missing')) return 'no';
  if (meanings.has('present')) return 'yes';
  const labelWords = polar.map((o) =>
    o.labels.flatMap((l) => wordsOf(l, lex.locale)).filter((w) => !isFiller(lex, w) && w.word.length > 2),
  );
  const inBoth = words.some((w) => !isFiller(lex, w) && labelWords.every((ws) => ws.some((o) => sameWord(w, o))));
  return inBoth ? 'yes' : undefined;
}

const EMOJI_RATINGS: [RegExp, number][] = [
  [/👎|😡|😠|🤬/u, 1],
  [/😞|🙁|☹|😕/u, 2],
  [/😐|🤷/u, 3],
  [/👍|🙂|😊|👌/u, 4],
  [/😍|🤩|❤|💯|🥰|😀|😃|🎉/u, 5],
];

const RATING_MODIFIERS: Kind[] = ['intensifier', 'attenuator', 'diminisher', 'contrast', 'negation'];

/**
 * A rating of one to five: stars ("★★★★", "4 stars", "4/5", "8/10"), a number (out of ten above five), or words
 * ("very helpful", "meh"). Words combine: what comes before a contrast counts ("bene ma migliorabile" is a good),
 * a negated word gives way to the others ("good, not perfect"), "very", "muchísimo", "tantissimo" raise a good to
 * the top, "somewhat", "kind of" bring it to the middle, "barely", "apenas" to a two, "zero", "cero" to a one.
 */
export function readRating(text: string, locale: string): number | undefined {
  const starChars = [...text].filter((c) => c === '★' || c === '⭐' || c === '🌟').length;
  if (starChars >= 1 && starChars <= 5) return starChars;
  const asterisks = text.trim().match(/^\*{1,5}$/);
  if (asterisks) return asterisks[0].length;
  const outOfTen = text.match(/\b(10|[0-9])\s*(\/|out of|de|su|sobre)\s*10\b/i);
  if (outOfTen) return Math.min(5, Math.max(1, Math.round(Number(outOfTen[1]) / 2)));
  // "de 1 a 5, un 5", "da 1 a 5 direi 5", "on a scale of 1 to 10, 8": the scale named, then the rating on it.
  const scale = text.match(/(?:^|[^0-9])1\s*(?:a|to|al|-|–)\s*(5|10)(?![0-9])/i);
  if (scale) {
    const rest = text.replace(scale[0], ' ');
    const mark = rest.match(/(?:^|[^0-9.,])(10|[0-9])(?![0-9])/);
    if (mark && scale[1] === '10') return Math.min(5, Math.max(1, Math.round(Number(mark[1]) / 2)));
    const onScale = readRating(rest, locale);
    if (onScale !== undefined) return onScale;
  }
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  const digits = words.filter((w) => /^[0-9]+$/.test(w.word)).map((w) => Number(w.word));
  if (digits.length >= 1 && digits[0]! >= 1 && digits[0]! <= 5) return digits[0];
  // "8", "10 e lode": a number above five is a mark out of ten.
  if (digits.length === 1 && digits[0]! >= 6 && digits[0]! <= 10) return Math.round(digits[0]! / 2);
  const hasStars = findPhrases(words, lex.stars).length > 0;
  const numbers = findPhrases(words, lex.numbers);
  // "quattro", "un bel quattro", "a solid four": a number word on its own, or with a word that only stresses it.
  const stress = new Set(findPhrases(words, lex.pick(['intensifier'])).flatMap((f) => f.covered));
  // A number word that is a filler too ("uno", "one") is the number only when nothing else is said ("that one" is not).
  const numbered = new Set(numbers.flatMap((f) => f.covered));
  const bare = numbers.length === 1 && words.every((_, i) => numbered.has(i) || stress.has(i));
  const alone = bare || words.filter((w, i) => !isFiller(lex, w) && !stress.has(i)).length === 1;
  if (numbers.length > 0 && (hasStars || alone)) {
    const n = Number(numbers[0]!.kind);
    if (n >= 1 && n <= 5) return n;
  }
  const ratings = findPhrases(words, lex.ratings);
  if (ratings.length > 0) return combined(ratings, findPhrases(words, lex.pick(RATING_MODIFIERS)));
  for (const [re, n] of EMOJI_RATINGS) if (re.test(text)) return n;
  return undefined;
}

function combined(ratings: Found<string>[], modifiers: Found<Kind>[]): number {
  const outside = (f: Found<string>, r: Found<string>): boolean => !f.covered.some((i) => r.covered.includes(i));
  const contrast = modifiers.find((m) => m.kind === 'contrast');
  // A rating word that is only a modifier here ("un po' utile", "somewhat helpful") gives way to the word it modifies.
  const modified = new Set(modifiers.filter((m) => m.kind !== 'contrast' && m.kind !== 'negation').flatMap((m) => m.covered));
  const words = ratings.filter((r) => !r.covered.every((i) => modified.has(i)));
  let pool = words.length > 0 ? words : ratings;
  if (contrast && ratings.some((r) => r.end < contrast.start)) pool = ratings.filter((r) => r.end < contrast.start);
  const level = (r: Found<string>): number => Number(r.kind);
  const right = (m: Found<Kind>, r: Found<string>): boolean => outside(m, r) && (m.end === r.start - 1 || m.start === r.end + 1);
  const before = (m: Found<Kind>, r: Found<string>): boolean => outside(m, r) && m.end === r.start - 1;
  const negated = (r: Found<string>): boolean => modifiers.some((m) => m.kind === 'negation' && before(m, r));
  const plain = pool.filter((r) => !negated(r));
  if (plain.length > 0) pool = plain;
  // The longest phrase says most ("not very helpful" over "helpful"); among equals, the last word counts.
  const best = pool.reduce((a, b) => (b.covered.length >= a.covered.length ? b : a));
  let n = level(best);
  if (negated(best) && n >= 3) return 2;
  // "cero útil", "zero utile": the lowest mark right before a good one.
  if (n >= 4 && ratings.some((r) => level(r) === 1 && r.covered.length === 1 && r.end === best.start - 1)) return 1;
  const near = (kind: Kind): boolean => modifiers.some((m) => m.kind === kind && right(m, best));
  if (n >= 4 && near('diminisher')) n = 2;
  else if (n >= 4 && near('attenuator')) n = 3;
  else if (n === 4 && near('intensifier')) n = 5;
  return n;
}

/** A message about something the bot does not cover: another app, a password, a printer, a laptop. */
export function readOutOfScope(text: string, locale: string): boolean {
  const lex = lexicon(locale);
  return findPhrases(wordsOf(text, lex.locale), lex.outOfScope).length > 0;
}
