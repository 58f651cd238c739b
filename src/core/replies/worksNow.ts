import { lexicon } from './lexicon';
import { findPhrases, wordsOf } from './phrases';
import { readAcknowledgement, readAssent } from './cardReplies';
import { readOutcome } from './understand';

/**
 * "It works now", said when nothing is asking whether a fix worked (at the offer of a person, before a ticket, after
 * a ticket): the whole message, or its last part ("ah no, wait, it works now"). Thanks may come with it ("it works,
 * thanks", "funziona, grazie"); a bare acknowledgement or thanks ("ok", "perfect", "vale gracias") is not news about
 * the problem. Nor is a yes: here a yes answers the question on screen ("va bene, invialo", "si, por fa", "yes, that
 * works"), so what is left once the yes, the "send it", the acknowledgement and the thanks are taken out must say
 * it works ("sì, ora funziona", "ok, it works now").
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
  const lex = lexicon(locale);
  const words = wordsOf(part, lex.locale);
  // Longest phrase first: "va bene ora" and "yes it works" say it works; "va bene" and "yes" alone agree.
  const found = findPhrases(words, lex.pick(['fixed', 'yes', 'thanks', 'greeting', 'goodbye']));
  const fixed = found.filter((f) => f.kind === 'fixed');
  // An acknowledgement or a "send it" inside a longer "it works" phrase is part of it ("perfect it works"); an
  // agreement, read as written, is one ("yes, that works" is not "yes that worked").
  const within = (a: { kind: string; covered: number[] }): boolean =>
    a.kind !== 'agree' && fixed.some((f) => f.covered.length > a.covered.length && f.covered.some((i) => a.covered.includes(i)));
  const taken = new Set([
    ...found.filter((f) => f.kind !== 'fixed').flatMap((f) => f.covered),
    ...readAssent(words, locale)
      .filter((f) => !within(f))
      .flatMap((f) => f.covered),
  ]);
  const rest = words
    .filter((_, i) => !taken.has(i))
    .map((w) => w.word)
    .join(' ');
  return !!rest && readOutcome(rest, locale) === 'fixed' && !readAcknowledgement(rest, locale);
}
