import * as fs from 'fs';
import { availableLocales, readLocaleFile, translator } from '../src/core/knowledge/locales';
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
import type { ChoiceOption } from '../src/core/replies/understand';
import { fromRoot } from '../src/core/paths';
import { parseAnswer } from '../src/core/diagnostics/answers';
import { getQuestion, QuestionId } from '../src/core/knowledge/catalog';
import { readDeviceOwner } from '../src/core/replies/cardReplies';

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
 * A choice read against whatever options are on screen, each rule with option lists of its own (written for this
 * test, not taken from the held-out sets): an option that is itself "I don't know", a yes or a no for options that
 * start with one, a version number within a range, an acronym, word classes that hold beyond one list, "both" not
 * read as "the second", a meaning in another language the bot speaks.
 */
describe('a choice among any options on screen', () => {
  it.each([
    ['en', ['Yes, I can see the management profile', 'No, there is no profile', 'Not sure'], 'yeah it is there', 0],
    ['en', ['Yes, I can see the management profile', 'No, there is no profile', 'Not sure'], 'nope, nothing there', 1],
    ['en', ['Yes, I can see the management profile', 'No, there is no profile', 'Not sure'], "can't find it", 1],
    ['en', ['Yes, I can see the management profile', 'No, there is no profile', 'Not sure'], 'not certain', 2],
    ['en', ['Yes, I can see the management profile', 'No, there is no profile', 'Not sure'], 'i see it', 0],
    ['en', ['Yes, I received the email', 'No, nothing arrived', "I don't know"], 'got it', 0],
    ['en', ['Yes, I received the email', 'No, nothing arrived', "I don't know"], 'never got it', 1],
    ['en', ['iOS 18', 'iOS 17', 'iOS 16 or earlier', 'Not sure'], '17.4', 1],
    ['en', ['iOS 18', 'iOS 17', 'iOS 16 or earlier', 'Not sure'], 'its on 15', 2],
    ['en', ['iOS 18', 'iOS 17', 'iOS 16 or earlier', 'Not sure'], '18.1', 0],
    ['en', ['Android 14 or newer', 'Android 13', 'Older than Android 13'], 'android 12', 2],
    ['en', ['Automated Device Enrollment (ADE)', 'Company Portal', 'Not sure'], 'ade', 0],
    ['en', ['Bring Your Own Device', 'Corporate owned', 'Not sure'], 'byod', 0],
    ['en', ['Microsoft Intune', 'Configuration Manager (hybrid)', 'Basic Mobility and Security'], 'sccm', 1],
    ['en', ['At home', 'At the office', 'Somewhere else'], 'in the office', 1],
    ['en', ['Wi-Fi', 'Cellular', 'Ethernet'], '5g', 1],
    ['en', ['Wi-Fi', 'Cellular', 'Both'], 'both of them', 2],
    ['en', ['Outlook', 'Teams', 'OneDrive', 'Something else'], 'my mail', 0],
    ['en', ['Outlook', 'Teams', 'OneDrive', 'Something else'], 'none of them', 3],
    ['en', ["Can't sign in", 'App keeps crashing', 'Something else'], 'it rejects my password', 0],
    ['en', ['My iPhone', 'My iPad', 'Both'], 'the tablet', 1],
    ['en', ['My iPhone', 'My iPad', 'Both'], 'phone', 0],
    ['en', ['Try again', 'Talk to a person'], 'redo it', 0],
    ['en', ['The profile is missing', 'The profile is there but apps fail'], 'profile disappeared', 0],
    ['en', ['Company-owned', 'Personal'], 'my employer gave it to me', 0],
    ['en', ['Company-owned', 'Personal'], 'i paid for it', 1],
    ['en', ['It has never worked', 'It worked before, then stopped', "I don't know"], 'since last week', 1],
    ['en', ['All users', 'Some users', 'Just one user', "I don't know"], 'a handful', 1],
    ['en', ['All users', 'Some users', 'Just one user', "I don't know"], 'everybody', 0],
    ['en', ['Latest version', 'An older version', "Don't know"], 'up to date', 0],
    ['es', ['Sí, veo el perfil de gestión', 'No, no hay perfil', 'No estoy seguro'], 'sí lo veo', 0],
    ['es', ['Sí, veo el perfil de gestión', 'No, no hay perfil', 'No estoy seguro'], 'no aparece', 1],
    ['es', ['Sí, veo el perfil de gestión', 'No, no hay perfil', 'No estoy seguro'], 'ni idea', 2],
    ['es', ['Sí, recibí el correo', 'No, no llegó nada', 'No lo sé'], 'ya lo tengo', 0],
    ['es', ['iOS 18', 'iOS 17', 'iOS 16 o anterior', 'No lo sé'], 'la 17.2', 1],
    ['es', ['iOS 18', 'iOS 17', 'iOS 16 o anterior', 'No lo sé'], 'tengo la 15', 2],
    ['es', ['Wi-Fi', 'Datos móviles', 'Ambos'], 'por datos', 1],
    ['es', ['Wi-Fi', 'Datos móviles', 'Ambos'], 'los dos', 2],
    ['es', ['Mi iPhone', 'Mi iPad', 'Los dos'], 'el celular', 0],
    ['es', ['Mi iPhone', 'Mi iPad', 'Los dos'], 'la tableta', 1],
    ['es', ['Outlook', 'Teams', 'OneDrive', 'Otra cosa'], 'el correo', 0],
    ['es', ['Outlook', 'Teams', 'OneDrive', 'Otra cosa'], 'ninguno', 3],
    ['es', ['No puedo iniciar sesión', 'La app se cierra', 'Otra cosa'], 'no me deja acceder', 0],
    ['es', ['Volver a intentarlo', 'Hablar con una persona'], 'empezar de cero', 0],
    ['es', ['Del trabajo', 'Personal'], 'me lo dio la oficina', 0],
    ['es', ['Del trabajo', 'Personal'], 'lo compré con mi dinero', 1],
    ['es', ['Microsoft Intune', 'Configuration Manager (híbrida)', 'Movilidad básica'], 'sccm', 1],
    ['es', ['Todos los usuarios', 'Algunos usuarios', 'Un solo usuario', 'No lo sé'], 'unos cuantos', 1],
    ['es', ['Inscripción automatizada de dispositivos', 'Portal de empresa', 'No lo sé'], 'por el portal', 1],
    ['it', ['Sì, vedo il profilo di gestione', "No, non c'è nessun profilo", 'Non sono sicuro'], 'sì lo vedo', 0],
    ['it', ['Sì, vedo il profilo di gestione', "No, non c'è nessun profilo", 'Non sono sicuro'], 'è sparito', 1],
    ['it', ['Sì, vedo il profilo di gestione', "No, non c'è nessun profilo", 'Non sono sicuro'], 'boh', 2],
    ['it', ['iOS 18', 'iOS 17', 'iOS 16 o precedente', 'Non lo so'], 'la 17.1', 1],
    ['it', ['iOS 18', 'iOS 17', 'iOS 16 o precedente', 'Non lo so'], 'ho la 14', 2],
    ['it', ['Wi-Fi', 'Rete dati', 'Entrambe'], 'col 4g', 1],
    ['it', ['Wi-Fi', 'Rete dati', 'Entrambe'], 'tutte e due', 2],
    ['it', ['Il mio iPhone', 'Il mio iPad', 'Entrambi'], 'il telefonino', 0],
    ['it', ['Il mio iPhone', 'Il mio iPad', 'Entrambi'], 'il tablet', 1],
    ['it', ['Outlook', 'Teams', 'OneDrive', 'Altro'], 'la posta', 0],
    ['it', ['Non riesco ad accedere', "L'app si chiude", 'Altro'], 'mi rifiuta le credenziali', 0],
    ['it', ['Riprova', 'Parla con una persona'], 'rifacciamo da capo', 0],
    ['it', ['Aziendale', 'Personale'], "me l'ha dato la ditta", 0],
    ['it', ['Aziendale', 'Personale'], "l'ho pagato io", 1],
    ['it', ['Tutti gli utenti', 'Alcuni utenti', 'Un solo utente', 'Non lo so'], 'un paio', 1],
    ['it', ['Microsoft Intune', 'Configuration Manager (ibrida)', 'Mobilità di base'], 'sccm', 1],
  ] as [string, string[], string, number][])('%s %j: "%s" is option %i', (locale, labels, text, expected) => {
    const options = labels.map((label, i) => ({ id: String(i), labels: [label] }));
    const r = readChoice(text, locale, options);
    const index =
      r === SOMETHING_ELSE ? labels.findIndex((l) => readChoice(l, locale, [{ id: 'x', labels: ['-'] }]) === SOMETHING_ELSE) : Number(r);
    expect(r === undefined ? -1 : index).toBe(expected);
  });

  it.each([
    ['en', 'nunca', ['It has never worked', 'It worked before, then stopped'], 0],
    ['it', 'todos', ['Tutti gli utenti', 'Alcuni utenti', 'Un solo utente'], 0],
    ['es', 'las dos', ['Wi-Fi', 'Datos móviles', 'Ambos'], 2],
    ['es', 'la dos', ['Wi-Fi', 'Datos móviles', 'Ambos'], 1],
    ['en', 'no idea', ['Yes, it is installed', 'No, it is not installed'], -1],
    ['en', '3', ['1 device', '2-5 devices', 'More than 5'], 1],
    ['en', '2', ['iOS 17 or later', 'iOS 16', 'Older than iOS 16'], 1],
    ['es', 'unos 12', ['1 dispositivo', 'De 2 a 5 dispositivos', 'Más de 5'], 2],
    ['it', 'meno di 3', ['Meno di 5 utenti', 'Da 5 a 20 utenti', 'Più di 20 utenti'], 0],
    ['en', 'account not onboarded', ['NoEnrollmentPolicy', 'AccountNotOnboarded'], 1],
  ] as [string, string, string[], number][])('%s "%s" among %j is option %i', (locale, text, labels, expected) => {
    const r = readChoice(
      text,
      locale,
      labels.map((label, i) => ({ id: String(i), labels: [label] })),
    );
    expect(r === undefined ? -1 : Number(r)).toBe(expected);
  });
});

describe('typed answers to the questions, through the one choice reader', () => {
  it.each([
    ['en', 'started', 'since last month', 'worked-before'],
    ['en', 'started', 'never worked since i got it', 'never-worked'],
    ['es', 'started', 'nunca', 'never-worked'],
    ['it', 'started', 'fino a ieri andava', 'worked-before'],
    ['en', 'users-affected', 'not all', 'some'],
    ['en', 'users-affected', 'everybody', 'all'],
    ['es', 'devices-affected', 'solo este', 'one'],
    ['it', 'users-affected', 'alcuni', 'some'],
    ['en', 'mdm-authority', 'sccm', 'configmgr'],
    ['es', 'mdm-authority', 'office 365', 'm365'],
    ['it', 'mdm-authority', 'intune', 'intune'],
    ['en', 'error-location', 'in safari', 'browser'],
    ['es', 'error-location', 'en ajustes', 'settings-app'],
    ['it', 'error-location', 'nel portale aziendale', 'company-portal-app'],
    ['en', 'platform', 'my tablet', 'ios'],
    ['en', 'enrollment-method', 'company', 'ade'],
    ['en', 'enrollment-method', 'I bought it', 'company-portal'],
    ['es', 'enrollment-method', 'lo compré yo', 'company-portal'],
    ['it', 'enrollment-method', "l'ho comprato io", 'company-portal'],
    ['it', 'enrollment-method', "dell'ufficio", 'ade'],
    ['en', 'enrollment-method', 'Configuration Manager 2309', undefined],
    ['en', 'mdm-authority', 'purple elephant', undefined],
    ['en', 'started', 'from the very beginning', 'never-worked'],
    ['es', 'started', 'desde siempre', 'never-worked'],
    ['it', 'started', 'da sempre non va', 'never-worked'],
    ['en', 'enrollment-method', 'users enroll themselves', 'company-portal'],
    ['es', 'error-location', 'en la consola de intune', 'admin-center'],
    ['it', 'devices-affected', 'solo il mio', 'one'],
  ])('%s %s: "%s" is %s', (locale, id, text, answer) => {
    expect(parseAnswer(getQuestion(id as QuestionId)!, text, translator(locale), locale)).toBe(answer);
  });

  it.each([
    ['en', 'company', 'company'],
    ['en', 'i bought it', 'own'],
    ['es', 'lo compré yo', 'own'],
    ['es', 'de la oficina', 'company'],
    ['it', "l'ho comprato io", 'own'],
    ['it', "dell'ufficio", 'company'],
    ['it', 'nel portale aziendale', undefined],
  ])('%s "%s" says whose device it is: %s', (locale, text, owner) => {
    expect(readDeviceOwner(text, locale)).toBe(owner);
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
    expect(readSmallTalk('ok esco, grazie', 'it')).toBe('goodbye');
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
 * The held-out sets: `development`, written blind but read (and built from) while the rules were improved, so its
 * figures are optimistic; `unseen`, written later by another person who saw neither the data nor the first set, read
 * for the third version; `third`, written blind again and read for the fourth version; `fourth`, written blind and
 * read for the fifth; `fifth`, written blind and measured once on the fifth version, not read for any rule (its
 * floors are that blind measurement). Only the fifth is still blind (docs/replies.md).
 */
type HeldoutSet = 'development' | 'unseen' | 'third' | 'fourth' | 'fifth';
const SET_DIR: Record<HeldoutSet, string[]> = {
  development: ['test', 'heldout'],
  unseen: ['test', 'heldout', 'unseen'],
  third: ['test', 'heldout', 'third'],
  fourth: ['test', 'heldout', 'fourth'],
  fifth: ['test', 'heldout', 'fifth'],
};
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
    // Every kind reaches the target on the unseen set since the third version's rules (it is no longer blind).
  },
  // Choices here are read as on any list (the product's own questions have readers of their own as well).
  third: {},
  fourth: {},
  // Measured blind, once, on the fifth version (every choice here read as on any list).
  fifth: { en: { choice: 0.93 }, es: { choice: 0.94 }, it: { goodbye: 0.91, help: 0.93, person: 0.91 } },
};

describe.each([
  ['development', 'en'],
  ['development', 'es'],
  ['development', 'it'],
  ['unseen', 'en'],
  ['unseen', 'es'],
  ['unseen', 'it'],
  ['third', 'en'],
  ['third', 'es'],
  ['third', 'it'],
  ['fourth', 'en'],
  ['fourth', 'es'],
  ['fourth', 'it'],
  ['fifth', 'en'],
  ['fifth', 'es'],
  ['fifth', 'it'],
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

/** The fourth version's rules, each with phrases of its own and the traps next to them. */
describe('taking leave with thanks, polite openers, why and "let me try", help on using the bot', () => {
  it.each([
    ['en', 'ok thanks, see you'],
    ['en', 'thank you, talk soon'],
    ['es', 'gracias, nos vemos'],
    ['es', 'muchas gracias y hasta luego'],
    ['it', 'grazie mille, ci sentiamo'],
    ['it', 'ti ringrazio, buona serata'],
    ['it', 'mi disconnetto'],
    ['es', 'por hoy basta, chao'],
  ])('%s: "%s" takes leave, thanks or not', (locale, text) => {
    expect(readSmallTalk(text, locale)).toBe('goodbye');
  });

  it.each([
    ['en', 'thanks so much'],
    ['es', 'te lo agradezco mucho'],
    ['it', 'grazie, mi hai aiutata tanto'],
  ])('%s: "%s" is thanks (nothing says goodbye)', (locale, text) => {
    expect(readSmallTalk(text, locale)).toBe('thanks');
  });

  it.each([
    ['en', 'hello, sorry to disturb you'],
    ['en', 'hi there, quick question'],
    ['es', 'buenos dias, perdon por la molestia'],
    ['es', 'buenas, tengo una duda'],
    ['it', 'buongiorno, ho bisogno di aiuto'],
    ['it', 'ciao, avrei una domanda'],
    ['it', 'salve, sei un bot?'],
  ])('%s: "%s" is a greeting', (locale, text) => {
    expect(readSmallTalk(text, locale)).toBe('greeting');
  });

  it.each([
    ['es', 'buenas, tengo una duda con el iphone que no se inscribe'],
    ['it', 'salve, avrei bisogno di una mano con il profilo che non si installa'],
    ['en', 'hi, i need a hand, my ipad says device cap reached'],
  ])('%s: "%s" describes a problem: no greeting', (locale, text) => {
    expect(readSmallTalk(text, locale)).toBeUndefined();
  });

  it.each([
    ['it', 'perché lo chiedi?'],
    ['it', 'come mai me lo chiedi?'],
    ['it', 'lascia che ci provi'],
    ['it', 'lasciami provare'],
    ['es', '¿por qué me lo preguntas?'],
    ['es', 'déjame intentarlo'],
    ['en', 'why do you ask?'],
    ['en', 'why do you need that?'],
    ['en', 'let me try that'],
  ])('%s: "%s" is never a cancel', (locale, text) => {
    expect(readCommand(text, locale)).not.toBe('cancel');
  });

  it.each([
    ['it', 'lascia perdere'],
    ['it', 'annulla'],
    ['it', 'fermati un attimo, annulla'],
    ['it', 'annulla la procedura'],
    ['es', 'cancela la operacion'],
    ['en', "stop, I'll try it later"],
  ])('%s: "%s" still cancels', (locale, text) => {
    expect(readCommand(text, locale)).toBe('cancel');
  });

  it.each([
    ['es', 'no entiendo como usarte'],
    ['es', 'como te hago una pregunta'],
    ['es', 'necesito ayuda para usar este chat'],
    ['it', 'non capisco come usarti'],
    ['it', 'come ti scrivo?'],
    ['it', 'qual è il tuo compito'],
    ['it', 'elenco comandi'],
    ['en', 'what should I type here'],
    ['en', 'what is your function'],
  ])('%s: "%s" asks for help on using the bot', (locale, text) => {
    expect(readCommand(text, locale)).toBe('help');
  });

  it.each([
    ['es', 'no entiendo el error del perfil'],
    ['it', 'non capisco perché il profilo non si installa'],
    ['es', 'para, no quiero seguir'],
  ])('%s: "%s" is no request for help on using the bot', (locale, text) => {
    expect(readCommand(text, locale)).not.toBe('help');
  });

  it.each([
    ['en', 'ring me'],
    ['en', 'telephone support'],
    ['es', 'llámenme por favor'],
    ['es', 'asistencia telefónica'],
    ['it', 'chiamatemi'],
    ['it', 'assistenza telefonica'],
    ['it', 'non so con chi parlare'],
  ])('%s: "%s" asks for a person', (locale, text) => {
    expect(readCommand(text, locale)).toBe('person');
  });

  it.each([
    ['en', 'hi, are you the helpdesk bot?'],
    ['it', 'sei il bot dell assistenza?'],
  ])('%s: "%s" is about the bot, not a person', (locale, text) => {
    expect(readCommand(text, locale)).not.toBe('person');
  });

  it.each([
    ['en', 'one', 1],
    ['es', 'una', 1],
    ['it', 'uno', 1],
    ['it', 'due', 2],
  ])('%s: "%s" alone at the rating is %i stars', (locale, text, stars) => {
    expect(readRating(text, locale)).toBe(stars);
  });

  it.each([
    ['en', 'that one'],
    ['es', 'el de antes'],
  ])('%s: "%s" is no rating', (locale, text) => {
    expect(readRating(text, locale)).toBeUndefined();
  });

  it.each([
    ['en', 'no idea, it is not clear to me', true],
    ['it', 'non mi è per niente chiaro', true],
    ['it', 'non ho modo di capirlo', true],
    ['es', 'no tengo manera de saberlo', true],
    ['it', 'è chiaro', false],
  ])('%s: "%s" is not knowing: %s', (locale, text, expected) => {
    expect(readDontKnow(text, locale)).toBe(expected);
  });

  const WHEN = { en: ['Today', 'This week', 'Earlier'], es: ['Hoy', 'Esta semana', 'Antes'], it: ['Oggi', 'Questa settimana', 'Prima'] };
  const HAPPENS = {
    en: ['An error appears', 'Nothing happens', 'The app closes'],
    es: ['Sale un error', 'No pasa nada', 'La app se cierra'],
    it: ['Compare un errore', 'Non succede niente', "L'app si chiude"],
  };
  const HOW = {
    en: ['Email', 'Phone call', 'Teams chat'],
    es: ['Correo', 'Llamada', 'Chat de Teams'],
    it: ['Email', 'Chiamata', 'Chat di Teams'],
  };
  const options = (labels: string[]): ChoiceOption[] => labels.map((l, i) => ({ id: String(i), labels: [l] }));
  it.each([
    ['en', WHEN, 'earlier today', '0'],
    ['en', WHEN, 'a couple of days ago', '1'],
    ['es', WHEN, 'esta tarde', '0'],
    ['es', WHEN, 'hace un par de días', '1'],
    ['it', WHEN, 'stamani', '0'],
    ['it', WHEN, 'un paio di giorni fa', '1'],
    ['en', HAPPENS, "it doesn't do anything", '1'],
    ['es', HAPPENS, 'no responde', '1'],
    ['it', HAPPENS, 'non fa nulla', '1'],
    ['en', HOW, 'call me', '1'],
    ['es', HOW, 'por teléfono', '1'],
    ['it', HOW, 'chiamami', '1'],
  ] as [string, Record<string, string[]>, string, string][])('%s: on %j, "%s" picks option %s', (locale, lists, text, id) => {
    expect(readChoice(text, locale, options(lists[locale]!))).toBe(id);
  });
});

/** The fifth version's rules, each with phrases of its own and the traps next to them. */
describe('what to type, stop verbs, scales, model numbers and the meanings of app trouble', () => {
  it.each([
    ['es', '¿qué pongo aquí?'],
    ['es', '¿qué debo preguntarte?'],
    ['es', '¿en qué consiste el bot?'],
    ['es', '¿cuáles son tus servicios?'],
    ['it', 'cosa metto qui?'],
    ['it', 'come parlo con il bot?'],
    ['it', 'che faccio adesso?'],
    ['it', 'quali sono i tuoi servizi?'],
  ])('%s "%s" asks what to type or what the bot does: help', (locale, text) => {
    expect(readCommand(text, locale)).toBe('help');
  });

  it.each([
    ['es', '¿qué pongo en el campo de usuario del iPhone?'],
    ['es', 'el teléfono del usuario no enciende'],
    ['it', 'cosa metto nelle impostazioni dell iPad?'],
  ])('%s "%s" is about the device, not help on the bot', (locale, text) => {
    expect(readCommand(text, locale)).not.toBe('help');
  });

  it.each([
    ['es', 'detén todo'],
    ['es', 'suspende la conversación'],
    ['es', 'córtalo ya'],
    ['en', 'call the whole thing off'],
    ['en', "let's call this off"],
    ['it', 'non procediamo, non procedere oltre'],
    ['it', 'non procedere con la chat'],
    ['es', 'ya está, paremos'],
  ])('%s "%s" cancels', (locale, text) => {
    expect(readCommand(text, locale)).toBe('cancel');
  });

  it.each([
    ['en', 'call IT please'],
    ['en', 'call someone'],
    ['it', 'voglio che mi chiamino'],
    ['es', 'necesito conectar con un asesor de soporte'],
  ])('%s "%s" asks for a person (a stop phrase does not swallow a call)', (locale, text) => {
    expect(readCommand(text, locale)).toBe('person');
  });

  it('"ya está" alone is no command: it says it is done', () => {
    expect(readCommand('ya está', 'es')).toBeUndefined();
    expect(readOutcome('ya está', 'es')).toBe('fixed');
  });

  it.each([
    ['es', 'recomencemos'],
    ['it', 'reimposta tutto'],
  ])('%s "%s" starts over', (locale, text) => {
    expect(readCommand(text, locale)).toBe('restart');
  });

  it.each([
    ['es', 'en efecto', 'yes'],
    ['es', 'no, en absoluto', 'no'],
    ['it', 'ma va', 'no'],
  ] as [string, string, string][])('%s "%s" is a %s', (locale, text, answer) => {
    expect(readConfirmation(text, locale)).toBe(answer);
  });

  it.each([
    ['es', 'ya quedó', 'fixed'],
    ['es', 'no quedó', 'not-fixed'],
    ['es', 'no se puede, sigue igual', 'not-fixed'],
    ['es', 'de ninguna manera', 'not-fixed'],
    ['it', 'per niente', 'not-fixed'],
    ['es', 'sí, ya aparece en el portal como inscrito', 'fixed'],
    ['en', 'yes, it shows up in the list', 'fixed'],
    ['es', 'sí, aparece el error', 'not-fixed'],
  ] as [string, string, string][])('%s "%s" says how it went: %s', (locale, text, outcome) => {
    expect(readOutcome(text, locale)).toBe(outcome);
  });

  it.each([
    ['es', 'del 1 al 5, le doy un 4', 4],
    ['it', 'da 1 a 5: 3', 3],
    ['en', 'on a scale of 1 to 10, 8', 4],
    ['en', 'from 1 to 5 I would say 2', 2],
    ['es', 'ligeramente útil', 2],
    ['it', 'leggermente utile', 2],
    ['en', 'a waste of time', 1],
    ['es', 'una pérdida de tiempo', 1],
  ] as [string, string, number][])('%s "%s" rates %d', (locale, text, stars) => {
    expect(readRating(text, locale)).toBe(stars);
  });

  const options = (labels: string[]): ChoiceOption[] => labels.map((l, i) => ({ id: String(i), labels: [l] }));
  const DEVICES = {
    en: ['iPhone', 'iPad', 'Mac', 'Android phone'],
    es: ['iPhone', 'iPad', 'Mac', 'Móvil Android'],
    it: ['iPhone', 'iPad', 'Mac', 'Telefono Android'],
  };
  const TROUBLE = {
    en: ['A blank screen', 'An error message', 'It keeps loading', 'The app crashes'],
    es: ['Una pantalla en blanco', 'Un mensaje de error', 'Se queda cargando', 'La app se cierra'],
    it: ['Una schermata vuota', 'Un messaggio di errore', 'Continua a caricare', "L'app si chiude"],
  };
  const VERSIONS = { en: ['iOS 16', 'iOS 17', 'iOS 18'], es: ['iOS 16', 'iOS 17', 'iOS 18'], it: ['iOS 16', 'iOS 17', 'iOS 18'] };
  it.each([
    ['en', DEVICES, 'an iphone 12', '0'],
    ['en', DEVICES, 'ipad 2', '1'],
    ['es', DEVICES, 'un ipad 10', '1'],
    ['it', DEVICES, 'iphone 16', '0'],
    ['en', DEVICES, '2', '1'],
    ['en', DEVICES, 'option 3', '2'],
    ['en', VERSIONS, 'ios 17', '1'],
    ['en', TROUBLE, 'the spinner never stops', '2'],
    ['en', TROUBLE, 'it shuts down on its own', '3'],
    ['es', TROUBLE, 'no termina de cargar nunca', '2'],
    ['es', TROUBLE, 'se sale sola', '3'],
    ['it', TROUBLE, 'la rotellina gira e basta', '2'],
    ['it', TROUBLE, 'va in crash', '3'],
  ] as [string, Record<string, string[]>, string, string][])('%s: on %j, "%s" picks option %s', (locale, lists, text, id) => {
    expect(readChoice(text, locale, options(lists[locale]!))).toBe(id);
  });
});
