import { isFiller, lexicon } from './lexicon';
import { findPhrases, wordsOf } from './phrases';
import { readAcknowledgement } from './cardReplies';
import { readOutcome, readRating, readSmallTalk } from './understand';
import { readWorksNow } from './worksNow';

/**
 * What is typed at the rating card, after a fix: a rating; thanks or goodbye (a friendly close: "muchas gracias",
 * "thanks a lot", "grazie mille" are not five stars); a bare no (no rating); or that it still fails after all
 * ("actually it still fails", "no, espera, sigue sin funcionar"). Undefined: about something else.
 */
export type RatingReply = { kind: 'rating'; rating: number } | { kind: 'close' } | { kind: 'no' } | { kind: 'still-failing' };

export function readRatingReply(text: string, locale: string): RatingReply | undefined {
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  if (words.length > 0 && readBareNo(text, locale)) return { kind: 'no' };
  // "Ah no, wait, it works now" is no news: the fix still holds.
  if (readOutcome(text, locale) === 'not-fixed' && !readWorksNow(text, locale)) return { kind: 'still-failing' };
  const talk = readSmallTalk(text, locale);
  if (talk === 'thanks') {
    // A rating beside the thanks counts ("thanks, 5 stars", "grazie, 8/10"); the words of the thanks are no rating.
    const thanks = new Set(findPhrases(words, lex.pick(['thanks'])).flatMap((f) => f.covered));
    const rest = words
      .filter((_, i) => !thanks.has(i))
      .map((w) => w.word)
      .join(' ');
    const marks = readRating(text.replace(/\p{L}+/gu, ' '), locale);
    const rating = marks ?? (rest && !readAcknowledgement(rest, locale) ? readRating(rest, locale) : undefined);
    return rating === undefined ? { kind: 'close' } : { kind: 'rating', rating };
  }
  const rating = readRating(text, locale);
  if (rating !== undefined) return { kind: 'rating', rating };
  return talk || readWorksNow(text, locale) ? { kind: 'close' } : undefined;
}

/** Only a no: "no", "no thanks", "nope", "not really", "no grazie". */
export function readBareNo(text: string, locale: string): boolean {
  const lex = lexicon(locale);
  const words = wordsOf(text, lex.locale);
  const found = findPhrases(words, lex.pick(['no', 'negation', 'thanks']));
  if (!found.some((f) => f.kind === 'no' || f.kind === 'negation')) return false;
  const covered = new Set(found.flatMap((f) => f.covered));
  return words.every((w, i) => covered.has(i) || isFiller(lex, w));
}
