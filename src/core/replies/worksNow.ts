import { lexicon } from './lexicon';
import { findPhrases, wordsOf } from './phrases';
import { readAcknowledgement } from './cardReplies';
import { readOutcome, readSmallTalk } from './understand';

/**
 * "It works now", said when nothing is asking whether a fix worked (at the offer of a person, before a ticket, after
 * a ticket): the whole message, or its last part ("ah no, wait, it works now"). Thanks may come with it ("it works,
 * thanks", "funziona, grazie"); a bare acknowledgement or thanks ("ok", "perfect", "vale gracias") is not news about
 * the problem.
 */
export function readWorksNow(text: string, locale: string): boolean {
  const parts = text
    .split(/[,.;:!?¡¿]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return works(text, locale) || (parts.length > 1 && works(parts[parts.length - 1]!, locale));
}

function works(part: string, locale: string): boolean {
  if (readOutcome(part, locale) !== 'fixed' || readAcknowledgement(part, locale)) return false;
  if (!readSmallTalk(part, locale)) return true;
  // With thanks, hello or bye in it: what is left once they are taken out must say it works.
  const lex = lexicon(locale);
  const words = wordsOf(part, lex.locale);
  const talk = new Set(findPhrases(words, lex.pick(['thanks', 'greeting', 'goodbye'])).flatMap((f) => f.covered));
  const rest = words
    .filter((_, i) => !talk.has(i))
    .map((w) => w.word)
    .join(' ');
  return !!rest && readOutcome(rest, locale) === 'fixed' && !readAcknowledgement(rest, locale);
}
