import { readLocaleFile } from '../knowledge/locales';
import { ConceptMatcher } from '../nlu/lexicon';
import { normalize } from '../nlu/text';
import { readCommand, readOutcome } from './understand';

/**
 * What a first message tells besides the problem: that the person wants a person ("me sale Device Cap Reached,
 * quiero hablar con una persona"), or that they already did the fix and it still fails ("Device Cap Reached, ya
 * borré uno y sigue igual"). The words for "I already did it" are locales/<lng>/nlu-told.json ("triedBefore"; a
 * trailing `*` matches any ending); a person request and "still failing" are the reply layer's own readings.
 */
export const TOLD_FILE = 'nlu-told.json';

export interface Told {
  person: boolean;
  triedBefore: boolean;
}

const matchers = new Map<string, ConceptMatcher>();

function triedBeforeWords(locale: string): ConceptMatcher {
  let m = matchers.get(locale);
  if (!m) {
    const data = readLocaleFile(locale, TOLD_FILE) as { triedBefore?: unknown } | undefined;
    const phrases = Array.isArray(data?.triedBefore) ? data.triedBefore.filter((p): p is string => typeof p === 'string') : [];
    if (phrases.length === 0) throw new Error(`locales/${locale}/${TOLD_FILE} must list "triedBefore" phrases`);
    matchers.set(locale, (m = new ConceptMatcher({ triedBefore: phrases })));
  }
  return m;
}

/**
 * Reads the message's clauses apart, without the words of the error it names, so that the error does not stand in
 * the way of the request beside it. errorText: the device error found in the message, if any; naming it after
 * saying the fix was done says it still fails.
 */
export function readTold(text: string, locale: string, errorText?: string): Told {
  const errorWords = new Set(errorText ? normalize(errorText).split(' ') : []);
  const clauses = text
    .split(/[,.;:!?¡¿\n]+/)
    .map((c) =>
      c
        .split(/\s+/)
        // "l'amministratore" is two words of the error ("l", "amministratore"), "don't" none.
        .filter(
          (w) =>
            !normalize(w)
              .split(' ')
              .every((part) => errorWords.has(part)),
        )
        .join(' '),
    )
    .filter((c) => normalize(c) !== '');
  const person = clauses.some((c) => readCommand(c, locale) === 'person');
  const done = triedBeforeWords(locale).find(normalize(text)).length > 0;
  const stillFails = !!errorText || clauses.some((c) => readOutcome(c, locale) === 'not-fixed');
  return { person, triedBefore: done && stillFails };
}
