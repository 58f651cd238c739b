import { DEFAULT_LOCALE, readLocaleFile, supportedLocales } from '../knowledge/locales';
import { byWeight, compile, Phrase, Word, wordsOf } from './phrases';

/** What a short reply can say, at any prompt. */
export const REPLY_KINDS = [
  'yes',
  'no',
  'fixed',
  'notFixed',
  'dontKnow',
  'greeting',
  'thanks',
  'goodbye',
  'help',
  'cancel',
  'restart',
  'person',
  'somethingElse',
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

/**
 * Classes of words the readers combine: what changes a reply's meaning ("but", "not", "still"), what it is about
 * (working, failing, knowing), the parts of a command ("talk" + "technician", "start" + "from scratch", "stop" +
 * "everything"), words that only frame a message ("the conversation", "sorry") and words that make it a problem
 * description (iPhone, profile, error).
 */
export const CUE_KINDS = [
  'contrast',
  'negation',
  'still',
  'works',
  'trouble',
  'appears',
  'now',
  'leaving',
  'knowing',
  'contactVerb',
  'human',
  'restartVerb',
  'again',
  'newThing',
  'stopVerb',
  'continueVerb',
  'helpQuestion',
  'helpTopic',
  'scope',
  'domain',
  'intensifier',
  'attenuator',
  'diminisher',
  'languageVerb',
  'selfQuestion',
  'attempt',
  'stopReason',
  'who',
  'channel',
  'helpWith',
  'usingBot',
  'polite',
  'why',
] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** The interruptions a user can type at any point; their phrases also come from ui.json "commands". */
export const COMMAND_KINDS = ['help', 'cancel', 'restart', 'person'] as const;
/** The word classes commands are built from besides their phrases ("speak with an engineer", "start from scratch"). */
export const COMMAND_PART_KINDS: CueKind[] = [
  'contactVerb',
  'human',
  'restartVerb',
  'again',
  'newThing',
  'stopVerb',
  'continueVerb',
  'helpQuestion',
  'helpTopic',
  'stopReason',
  'who',
  'channel',
  'helpWith',
  'usingBot',
];
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** The shape of locales/<lng>/replies.json. */
export interface RepliesFile {
  [kind: string]: string[] | Record<string, string[]>;
}

export const LIST_KEYS = [...REPLY_KINDS, ...CUE_KINDS, 'filler', 'star', 'outOfScope'] as const;
/** Keys whose value is a map: position on screen, number words, the five ratings. */
export const MAP_KEYS = {
  ordinal: ['1', '2', '3', 'middle', 'last'],
  number: ['1', '2', '3', '4', '5'],
  rating: ['1', '2', '3', '4', '5'],
} as const;

export type Kind = ReplyKind | CueKind;

export interface Lexicon {
  locale: string;
  /** The phrases of these kinds only, longest first (each reader looks for what matters at its prompt). */
  pick(kinds: readonly Kind[]): Phrase<Kind>[];
  /** Commands of every language, with the language switch ("language:es"). */
  commands: Phrase<CommandKind | `language:${string}`>[];
  /** Commands that are one only as the whole message (Italian "fine": "alla fine", "a fine mese" are not a stop). */
  alone: Phrase<CommandKind>[];
  ordinals: Phrase<string>[];
  numbers: Phrase<string>[];
  ratings: Phrase<string>[];
  stars: Phrase<'star'>[];
  outOfScope: Phrase<'outOfScope'>[];
  /** Classes of words that mean the same for a choice ("settings": "Ajustes", "config"), by class name. */
  meanings: Phrase<string>[];
  filler: Set<string>;
}

const lexicons = new Map<string, Lexicon>();

function file(locale: string): RepliesFile {
  const data = readLocaleFile(locale, 'replies.json') as RepliesFile | undefined;
  if (!data) throw new Error(`locales/${locale}/replies.json is missing`);
  return data;
}

const list = (data: RepliesFile, key: string): string[] => (Array.isArray(data[key]) ? (data[key] as string[]) : []);
const map = (data: RepliesFile, key: string): Record<string, string[]> =>
  data[key] && !Array.isArray(data[key]) ? (data[key] as Record<string, string[]>) : {};

/** The ui.json command phrases of a locale ("help|?|menu"), which the Teams command lists use too. */
function uiCommands(locale: string): Record<string, string[]> {
  const commands = (readLocaleFile(locale, 'ui.json')?.commands ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(commands).map(([k, v]) => [k, String(v).split('|')]));
}

/**
 * Two-word phrases also as people run them together ("thankyou", "startover", "denuevo", "dacapo"): one word that is
 * both words written without the space. Only when both are real words (two letters or more), so that a joined form
 * is not another word ("a way" is not "away").
 */
function withJoined<K extends string>(phrases: Phrase<K>[], locale: string): Phrase<K>[] {
  const joined = phrases
    .filter((p) => p.words.length === 2 && p.words.every((w) => w.word.length >= 2 && !w.digits))
    .map((p) => ({ ...p, words: wordsOf(p.words.map((w) => w.word).join(''), locale) }))
    .filter((p) => p.words.length === 1 && p.words[0]!.word.length >= 5)
    // Neither a stem nor a typo of a run-together word means anything ("adessono" is not "adesso", "canttell" not
    // "cartella"): it counts as written.
    .map((p) => ({ ...p, words: [{ ...p.words[0]!, joined: true }] }));
  return [...phrases, ...joined];
}

const compileReplies = <K extends string>(kind: K, texts: string[], locale: string): Phrase<K>[] =>
  withJoined(compile(kind, texts, locale), locale);

const commandPhrases = new Map<string, { commands: Lexicon['commands']; alone: Lexicon['alone'] }>();

/**
 * Commands work in every language the bot speaks ("help" in a Spanish chat, "annulla" in an English one), except a
 * command of another language that is a reply of this one: Italian "fine" ("end") is English "fine" ("ok"), so in an
 * English or Spanish chat (where English replies are read too) it is the reply.
 */
function commandsFor(locale: string, replies: Phrase<Kind>[]): { commands: Lexicon['commands']; alone: Lexicon['alone'] } {
  const cached = commandPhrases.get(locale);
  if (cached) return cached;
  const text = (p: Phrase<string>): string => p.words.map((w) => w.word).join(' ');
  const answers = REPLY_KINDS.filter((k) => !(COMMAND_KINDS as readonly string[]).includes(k)) as readonly Kind[];
  const ownReplies = new Set(replies.filter((p) => answers.includes(p.kind)).map(text));
  const phrases: Lexicon['commands'] = [];
  const alone: Lexicon['alone'] = [];
  for (const source of supportedLocales()) {
    const ui = uiCommands(source);
    const own = file(source);
    const mine: Lexicon['commands'] = [];
    for (const kind of COMMAND_KINDS) mine.push(...compileReplies(kind, [...(ui[kind] ?? []), ...list(own, kind)], source));
    mine.push(...compile(`language:${source}` as const, ui.language ?? [], source));
    phrases.push(...(source === locale ? mine : mine.filter((p) => p.kind.startsWith('language:') || !ownReplies.has(text(p)))));
    const lone = COMMAND_KINDS.flatMap((kind) => compile(kind, map(own, 'alone')[kind] ?? [], source));
    alone.push(...(source === locale ? lone : lone.filter((p) => !ownReplies.has(text(p)))));
  }
  const built = { commands: byWeight(phrases), alone: byWeight(alone) };
  commandPhrases.set(locale, built);
  return built;
}

/**
 * The reply vocabulary of one language: its own replies.json, then English (people mix in "ok", "thanks", "idk").
 * Built once per language.
 */
export function lexicon(locale: string): Lexicon {
  const cached = lexicons.get(locale);
  if (cached) return cached;
  const sources = locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE];
  const replies: Phrase<Kind>[] = [];
  const ordinals: Phrase<string>[] = [];
  const numbers: Phrase<string>[] = [];
  const ratings: Phrase<string>[] = [];
  const stars: Phrase<'star'>[] = [];
  const outOfScope: Phrase<'outOfScope'>[] = [];
  const meanings: Phrase<string>[] = [];
  const filler = new Set<string>();
  for (const source of sources) {
    const data = file(source);
    for (const kind of [...REPLY_KINDS, ...CUE_KINDS]) replies.push(...compileReplies(kind, list(data, kind), source));
    for (const [k, texts] of Object.entries(map(data, 'ordinal'))) ordinals.push(...compile(k, texts, source));
    for (const [k, texts] of Object.entries(map(data, 'number'))) numbers.push(...compile(k, texts, source));
    for (const [k, texts] of Object.entries(map(data, 'rating'))) ratings.push(...compile(k, texts, source));
    for (const [k, texts] of Object.entries(map(data, 'meaning'))) meanings.push(...compile(k, texts, source));
    stars.push(...compile('star', list(data, 'star'), source));
    outOfScope.push(...compile('outOfScope', list(data, 'outOfScope'), source));
    if (source === locale) for (const w of list(data, 'filler').flatMap((t) => wordsOf(t, source))) filler.add(w.word);
  }
  // The rating labels on the card are ratings too, whatever the data file says.
  const ui = readLocaleFile(locale, 'ui.json')?.outcome as Record<string, string> | undefined;
  for (const k of ['1', '2', '3', '4', '5']) if (ui?.[`rate${k}`]) ratings.push(...compile(k, [ui[`rate${k}`]!], locale));
  const picked = new Map<string, Phrase<Kind>[]>();
  const pick = (kinds: readonly Kind[]): Phrase<Kind>[] => {
    const key = kinds.join(',');
    let list = picked.get(key);
    if (!list) picked.set(key, (list = byWeight(replies.filter((p) => kinds.includes(p.kind)))));
    return list;
  };
  const built: Lexicon = {
    locale,
    pick,
    ...commandsFor(locale, replies),
    ordinals: byWeight(ordinals),
    numbers: byWeight(numbers),
    ratings: byWeight(ratings),
    stars: byWeight(stars),
    outOfScope: byWeight(outOfScope),
    meanings: byWeight(meanings),
    filler,
  };
  lexicons.set(locale, built);
  return built;
}

export const isFiller = (lex: Lexicon, w: Word): boolean => lex.filler.has(w.word);
