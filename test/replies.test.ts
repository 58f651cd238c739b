import * as fs from 'fs';
import { availableLocales, readLocaleFile } from '../src/core/knowledge/locales';
import { CUE_KINDS, LIST_KEYS, MAP_KEYS, REPLY_KINDS } from '../src/core/replies/lexicon';
import { wordsOf } from '../src/core/replies/phrases';
import {
  readChoice,
  readCommand,
  readConfirmation,
  readDontKnow,
  readOutcome,
  readRating,
  readSmallTalk,
  SOMETHING_ELSE,
} from '../src/core/replies/understand';
import { fromRoot } from '../src/core/paths';

describe('every locale folder has complete reply data', () => {
  it.each(availableLocales())('%s/replies.json has every kind, cue and map, none empty', (locale) => {
    const data = readLocaleFile(locale, 'replies.json') as Record<string, unknown>;
    expect(data).toBeDefined();
    for (const key of [...REPLY_KINDS, ...CUE_KINDS, ...LIST_KEYS]) {
      const list = data[key] as string[];
      expect([key, Array.isArray(list) && list.length > 0]).toEqual([key, true]);
      // Every phrase is made of words the reader can match (not only punctuation).
      for (const phrase of list) expect([key, phrase, wordsOf(phrase, locale).length > 0]).toEqual([key, phrase, true]);
    }
    for (const [key, subkeys] of Object.entries(MAP_KEYS)) {
      const map = data[key] as Record<string, string[]>;
      for (const k of subkeys) expect([key, k, (map?.[k] ?? []).length > 0]).toEqual([key, k, true]);
    }
  });

  it.each(availableLocales())('%s/replies.json gives every meaning class of the default language its own words', (locale) => {
    const classes = Object.keys((readLocaleFile('en', 'replies.json') as { meaning: Record<string, string[]> }).meaning);
    expect(classes.length).toBeGreaterThan(10);
    const meaning = (readLocaleFile(locale, 'replies.json') as { meaning?: Record<string, string[]> }).meaning ?? {};
    for (const k of classes) expect([k, (meaning[k] ?? []).length > 0]).toEqual([k, true]);
  });
});

/** What the issue reported, in the users' own words. */
describe('replies people typed that the bot misread', () => {
  it.each([
    ['it', 'si blocca ancora nello stesso punto', 'not-fixed'],
    ['es', 'si, lo reinstalé pero sigue igual', 'not-fixed'],
    ['en', 'didnt help', 'not-fixed'],
    ['en', 'didnt work', 'not-fixed'],
    ['it', 'non ha funzionato', 'not-fixed'],
    ['en', 'that worked!', 'fixed'],
    ['en', 'no more errors now', 'fixed'],
    ['it', 'sì', 'fixed'],
  ])('%s "%s" at a cause card is %s', (locale, text, outcome) => {
    expect(readOutcome(text, locale)).toBe(outcome);
  });

  it.each([
    ['en', 'yes please', 'yes'],
    ['it', 'sì grazie', 'yes'],
    ['es', 'si porfa', 'yes'],
    ['en', 'No thanks', 'no'],
    ['en', 'ok, no thanks', 'no'],
  ])('%s "%s" to an offer is %s', (locale, text, answer) => {
    expect(readConfirmation(text, locale)).toBe(answer);
  });

  it.each([
    ['en', 'didnt help'],
    ['en', "it didn't help"],
    ['es', 'no ayudó'],
    ['es', 'no me ayudó'],
    ['it', 'non mi ha aiutato'],
  ])('%s "%s" is an answer, not the help command', (locale, text) => {
    expect(readCommand(text, locale)).toBeUndefined();
    expect(readOutcome(text, locale)).toBe('not-fixed');
    expect(readCommand(locale === 'en' ? 'help' : locale === 'es' ? 'ayuda' : 'aiuto', locale)).toBe('help');
  });

  it('asking for a person is understood inside a sentence, not when negated, and not in a problem description', () => {
    expect(readCommand('parla con una persona', 'it')).toBe('person');
    expect(readCommand('can I talk to a person please', 'en')).toBe('person');
    expect(readCommand("I don't want to talk to a person", 'en')).not.toBe('person');
    expect(readCommand('help, my iPhone says Device Cap Reached', 'en')).toBeUndefined();
  });

  it('small talk is only small talk', () => {
    expect(readSmallTalk('hi there', 'en')).toBe('greeting');
    expect(readSmallTalk('hola', 'es')).toBe('greeting');
    expect(readSmallTalk('buongiorno', 'it')).toBe('greeting');
    expect(readSmallTalk('thanks!', 'en')).toBe('thanks');
    expect(readSmallTalk('hi, my iPhone says Device Cap Reached', 'en')).toBeUndefined();
  });

  it('a rating typed as its label, stars or a number', () => {
    expect(readRating('very helpful', 'en')).toBe(5);
    expect(readRating('★★★', 'it')).toBe(3);
    expect(readRating('cuatro estrellas', 'es')).toBe(4);
    expect(readRating('not very helpful', 'en')).toBe(2);
  });

  it('a choice among the options on screen by its words, its number or its position', () => {
    const options = [
      { id: 'network-error', labels: ['A network error has occurred'] },
      { id: 'server-connection-failed', labels: ['Connection to the server could not be established'] },
    ];
    expect(readChoice('the server one', 'en', options)).toBe('server-connection-failed');
    expect(readChoice('2', 'en', options)).toBe('server-connection-failed');
    expect(readChoice('el primero', 'es', options)).toBe('network-error');
    expect(readChoice('none of these', 'en', options)).toBe(SOMETHING_ELSE);
    expect(readDontKnow('boh', 'it')).toBe(true);
  });
});

/**
 * Rules of the third version, each with phrases of its own (none from either held-out set) and the traps next to it:
 * what a rule must read and what it must leave alone.
 */
describe('commands, small talk and answers said the way people say them', () => {
  it.each([
    ['en', 'quit, I changed my mind'],
    ['en', 'end this please, no time right now'],
    ['es', 'déjalo, no tengo tiempo ahora'],
    ['es', 'cancelar, otro día'],
    ['es', 'xfa para'],
    ['it', 'basta, lo faccio dopo'],
    ['it', 'interrompi, sono occupato'],
    ['it', 'fine'],
  ])('%s "%s" is a cancel: a stop with its reason, or on its own', (locale, text) => {
    expect(readCommand(text, locale)).toBe('cancel');
  });

  it.each([
    ['en', 'later'],
    ['en', "I'll do it later"],
    ['en', 'fine'],
    ['es', 'lo hago luego'],
    ['es', 'para el iPad'],
    ['it', 'alla fine'],
    ['it', 'a fine mese'],
    ['it', 'dopo'],
    ['it', 'devo cancellare i cookie?'],
  ])('%s "%s" is no cancel: a reason without a stop, or a word of a sentence', (locale, text) => {
    expect(readCommand(text, locale)).toBeUndefined();
  });

  it('"fine" is a yes in English and Spanish chats, a stop only in Italian ones', () => {
    expect(readConfirmation('fine', 'en')).toBe('yes');
    expect(readCommand('fine', 'es')).toBeUndefined();
    expect(readCommand('fine', 'it')).toBe('cancel');
  });

  it.each([
    ['en', 'take me back to step 1'],
    ['en', 'oops, I messed up, start over'],
    ['es', 'regresa al paso 1'],
    ['es', 'me lié, vuelve al principio'],
    ['it', 'riportami alla domanda 1'],
    ['it', 'ho fatto casino, ricominciamo'],
  ])('%s "%s" is a restart: back to the first question or step, a mistake owned', (locale, text) => {
    expect(readCommand(text, locale)).toBe('restart');
  });

  it.each([
    ['en', 'who do I call?'],
    ['en', 'can IT call me?'],
    ['en', 'could someone reach me by phone?'],
    ['es', '¿a quién llamo?'],
    ['es', 'quiero que me llamen por teléfono'],
    ['es', 'pásame con el CAU, por favor'],
    ['it', 'chi posso chiamare?'],
    ['it', 'mi contattate per telefono?'],
    ['it', "posso parlare con l'IT?"],
  ])('%s "%s" asks for a person: who to contact, a call, the IT department', (locale, text) => {
    expect(readCommand(text, locale)).toBe('person');
  });

  it.each([
    ['en', "I can't call from the phone"],
    ['en', 'it works with my iPad now'],
    ['es', 'no me deja llamar por teléfono'],
    ['it', 'il telefono non chiama'],
    ['it', 'chi sei?'],
  ])('%s "%s" asks for no person', (locale, text) => {
    expect(readCommand(text, locale)).not.toBe('person');
  });

  it.each([
    ['en', 'do you help with iPads?'],
    ['en', "I don't know how to use this bot"],
    ['es', '¿me ayudas con el iPhone?'],
    ['es', 'no entiendo cómo funcionas'],
    ['it', "mi aiuti con l'iphone?"],
    ['it', 'non capisco come funzioni'],
  ])('%s "%s" asks for help: what the bot covers, how to use it', (locale, text) => {
    expect(readCommand(text, locale)).toBe('help');
  });

  it.each([
    ['en', 'can you help? my iPhone says Device Cap Reached'],
    ['en', "my iPhone won't enroll, can you help with that?"],
    ['es', '¿me ayudas con el iPhone? me sale un error'],
    ['it', "non so come registrare l'iphone"],
  ])('%s "%s" is a problem, not the help command', (locale, text) => {
    expect(readCommand(text, locale)).toBeUndefined();
  });

  it('a one-letter yes or no counts on its own, not as a word of a sentence', () => {
    expect(readConfirmation('y', 'en')).toBe('yes');
    expect(readConfirmation('N', 'en')).toBe('no');
    expect(readConfirmation('y ahora qué hago?', 'es')).toBeUndefined();
  });

  it('phrases run together and chat shorthand read as written out', () => {
    expect(readSmallTalk('thankyou!', 'en')).toBe('thanks');
    expect(readSmallTalk('hola, q tal?', 'es')).toBe('greeting');
    expect(readOutcome('nn funziona', 'it')).toBe('not-fixed');
    // A run-together phrase is only itself: no typo or stem of it ("canttell" is not "cartella").
    expect(readDontKnow('ho bisogno di accesso a una cartella condivisa', 'it')).toBe(false);
  });

  it('"nothing" after what was done is not fixed; small talk and ratings in their idioms', () => {
    expect(readOutcome('riavviato due volte, niente', 'it')).toBe('not-fixed');
    expect(readOutcome('sì, fatto. nulla', 'it')).toBe('not-fixed');
    expect(readSmallTalk('ben ritrovati', 'it')).toBe('greeting');
    expect(readSmallTalk('ok esco, grazie', 'it')).toBe('thanks');
    expect(readSmallTalk('cordiali saluti', 'it')).toBe('goodbye');
    expect(readSmallTalk('le sono grata', 'it')).toBe('thanks');
    expect(readSmallTalk('hasta después', 'es')).toBe('goodbye');
    expect(readRating('un tre pieno', 'it')).toBe(3);
    expect(readDontKnow('how should I know?', 'en')).toBe(true);
    expect(readDontKnow('¿cómo voy a saberlo?', 'es')).toBe(true);
  });
});

/**
 * "Yes, but it still fails" built from parts, as people combine them: an assent, what they did, a contrast or just
 * "and", and how it still fails. None may ever read as fixed.
 */
const YES_BUT: Record<string, { yes: string[]; did: string[]; but: string[]; fail: string[] }> = {
  en: {
    yes: ['yes', 'yeah', 'ok', 'sure', 'done', 'i did'],
    did: ['i did that', 'restarted it', 'reinstalled', ''],
    but: ['but', 'though,', 'and', 'still'],
    fail: ['same error', 'no change', "didn't help", 'the error is back', "it won't install", 'nothing happened'],
  },
  es: {
    yes: ['sí', 'vale', 'ok', 'hecho', 'listo'],
    did: ['lo hice', 'lo reinicié', 'lo borré', ''],
    but: ['pero', 'aunque', 'y'],
    fail: ['sigue', 'el mismo error', 'nada', 'no sirvió', 'sale el error', 'vuelve a fallar'],
  },
  it: {
    yes: ['sì', 'ok', 'fatto', 'certo', 'va bene'],
    did: ["l'ho fatto", 'ho riavviato', 'ho provato', ''],
    but: ['ma', 'però', 'e'],
    fail: ['non va', 'è uguale', 'niente', 'non è servito', 'si blocca ancora', 'dà ancora errore'],
  },
};

describe.each(Object.keys(YES_BUT))('"yes, but it still fails" in %s, in every combination', (locale) => {
  it('is never read as fixed', () => {
    const { yes, did, but, fail } = YES_BUT[locale]!;
    const misread: string[] = [];
    for (const y of yes)
      for (const d of did)
        for (const b of but)
          for (const f of fail) {
            const text = [`${y},`, d, b, f].filter(Boolean).join(' ');
            if (readOutcome(text, locale) === 'fixed') misread.push(text);
          }
    expect(misread).toEqual([]);
  });
});

// ---- the held-out set: written by someone who never saw locales/*/replies.json ----

type Heldout = Record<string, string[]> & {
  rating: { text: string; stars: number }[];
  choice: { options: string[]; text: string; answer: number }[];
};
/**
 * The two held-out sets: `development`, written blind but read (and built from) while the rules were improved, so its
 * figures are optimistic; `unseen`, written later by another person who saw neither the data nor the first set, and
 * never used to change anything: its figures are the honest ones.
 */
type HeldoutSet = 'development' | 'unseen';
const SET_DIR: Record<HeldoutSet, string[]> = { development: ['test', 'heldout'], unseen: ['test', 'heldout', 'unseen'] };
const heldout = (locale: string, set: HeldoutSet = 'development'): Heldout =>
  JSON.parse(fs.readFileSync(fromRoot(...SET_DIR[set], `replies-${locale}.json`), 'utf8')) as Heldout;

/** Each kind as the prompt that expects it reads it. */
const READERS: Record<string, (text: string, locale: string) => boolean> = {
  yes: (x, l) => readConfirmation(x, l) === 'yes',
  no: (x, l) => readConfirmation(x, l) === 'no',
  fixed: (x, l) => readOutcome(x, l) === 'fixed',
  'not-fixed': (x, l) => readOutcome(x, l) === 'not-fixed',
  'yes-but-not-fixed': (x, l) => readOutcome(x, l) === 'not-fixed',
  'dont-know': (x, l) => readDontKnow(x, l),
  greeting: (x, l) => readSmallTalk(x, l) === 'greeting',
  thanks: (x, l) => readSmallTalk(x, l) === 'thanks',
  goodbye: (x, l) => readSmallTalk(x, l) === 'goodbye',
  help: (x, l) => readCommand(x, l) === 'help',
  restart: (x, l) => readCommand(x, l) === 'restart',
  cancel: (x, l) => readCommand(x, l) === 'cancel',
  person: (x, l) => readCommand(x, l) === 'person',
};

/** The option picked, by index; "something else" is the option on screen that says so. */
function chosen(c: Heldout['choice'][number], locale: string): number {
  const options = c.options.map((o, i) => ({ id: String(i), labels: [o] }));
  const r = readChoice(c.text, locale, options);
  if (r === SOMETHING_ELSE) return c.options.findIndex((o) => readChoice(o, locale, [{ id: 'x', labels: ['-'] }]) === SOMETHING_ELSE);
  return r === undefined ? -1 : Number(r);
}

function accuracy(locale: string, kind: string, set: HeldoutSet): { right: number; total: number; wrong: string[] } {
  const data = heldout(locale, set);
  const wrong: string[] = [];
  let right = 0;
  const items = data[kind] as unknown[];
  for (const item of items) {
    let ok: boolean;
    if (kind === 'rating') {
      const r = item as Heldout['rating'][number];
      ok = readRating(r.text, locale) === r.stars;
      if (!ok) wrong.push(r.text);
    } else if (kind === 'choice') {
      const c = item as Heldout['choice'][number];
      ok = chosen(c, locale) === c.answer;
      if (!ok) wrong.push(c.text);
    } else {
      ok = READERS[kind]!(item as string, locale);
      if (!ok) wrong.push(item as string);
    }
    if (ok) right++;
  }
  return { right, total: items.length, wrong };
}

const TARGET = 0.95;
/**
 * Kinds below the target, with the share they must keep (what was measured, rounded down): a regression still
 * fails. docs/replies.md lists the measured figures. On the development set every kind reaches the target.
 */
const BELOW_TARGET: Record<HeldoutSet, Record<string, Record<string, number>>> = {
  development: {},
  unseen: {
    en: { choice: 0.73 },
    es: { choice: 0.71 },
    it: { choice: 0.71 },
  },
};

describe.each([
  ['development', 'en'],
  ['development', 'es'],
  ['development', 'it'],
  ['unseen', 'en'],
  ['unseen', 'es'],
  ['unseen', 'it'],
] as [HeldoutSet, string][])('held-out replies (%s set) in %s', (set, locale) => {
  const kinds = Object.keys(heldout(locale, set));

  it('has at least 40 phrases of every kind', () => {
    for (const kind of kinds) expect([kind, (heldout(locale, set)[kind] as unknown[]).length >= 40]).toEqual([kind, true]);
  });

  it.each(kinds)('%s: right at least 95% of the time (or the recorded floor)', (kind) => {
    const { right, total, wrong } = accuracy(locale, kind, set);
    const floor = BELOW_TARGET[set][locale]?.[kind] ?? TARGET;
    expect({ kind, share: right / total >= floor, wrong: right / total >= floor ? [] : wrong }).toEqual({ kind, share: true, wrong: [] });
  });

  it('never reads "yes, but it still fails" as fixed', () => {
    const misread = (heldout(locale, set)['yes-but-not-fixed'] as string[]).filter((x) => readOutcome(x, locale) === 'fixed');
    expect(misread).toEqual([]);
  });
});
