import { DONT_KNOW, getSymptom, NONE } from '../knowledge/catalog';
import { DEFAULT_LOCALE } from '../knowledge/locales';
import { readLexiconFile } from '../nlu/lexicon';
import { Recognition } from '../nlu/recognizer';
import { isFiller, lexicon } from '../replies/lexicon';
import { compile, findPhrases, Phrase, wordsOf } from '../replies/phrases';
import { readDontKnow } from '../replies/understand';
import { DiagnosticRecord, prefill } from './record';

/**
 * What the note typed before a ticket tells about the facts the ticket needs, so that none is asked again: an error
 * the bot recognises ("Device Cap Reached on my ipad", "il portale dice Numero massimo dispositivi raggiunto") is
 * the exact error, and the symptom when none is known yet (the user asked for a person straight away); "I don't know
 * what it says" ("non lo so, dice solo errore") answers the exact error as not known. Nothing already answered is
 * changed.
 */
export function learnFromNote(record: DiagnosticRecord, note: string, recognition: Recognition, locale: string, now = new Date()): void {
  const at = now.toISOString();
  if (recognition.intent !== NONE && !recognition.ambiguous) {
    const symptom = getSymptom(recognition.intent);
    if (symptom && !record.symptom) return prefill(record, symptom, recognition.entities, note, now);
    // Another symptom than the case's: only an error text it quotes or names is a fact about this case.
    if (!record.answers['error-message'] && (recognition.source === 'error-text' || recognition.intent === record.symptom)) {
      record.answers['error-message'] = { value: recognition.entities.errorText ?? note, source: 'conversation', raw: note, at };
    }
    return;
  }
  if (!record.answers['error-message'] && saysItDoesNotKnow(note, locale)) {
    record.answers['error-message'] = { value: DONT_KNOW, source: 'conversation', raw: note, at };
  }
}

const saysPhrases = new Map<string, Phrase<'says'>[]>();

/**
 * "I don't know what it says", "non lo so, dice solo errore", "ni idea de lo que pone": not knowing, and nothing
 * else than what the device shows ("it says", "dice", an error). "No lo tengo claro, el error sale en inglés" tells
 * something about the message: it is asked.
 */
function saysItDoesNotKnow(text: string, locale: string): boolean {
  if (!readDontKnow(text, locale)) return false;
  let says = saysPhrases.get(locale);
  if (!says) {
    const sources = locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE];
    saysPhrases.set(locale, (says = sources.flatMap((s) => compile('says', readLexiconFile(s)['error-says'] ?? [], s))));
  }
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  const found = [...findPhrases(words, lex.pick(['dontKnow', 'negation', 'no', 'knowing', 'trouble'])), ...findPhrases(words, says)];
  const covered = new Set(found.flatMap((f) => f.covered));
  return words.every((w, i) => covered.has(i) || isFiller(lex, w));
}
