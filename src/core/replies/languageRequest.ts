import { supportedLocales } from '../knowledge/locales';
import { isFiller, lexicon } from './lexicon';
import { findPhrases, Word, wordsOf } from './phrases';

/**
 * Languages people may ask the bot to speak, by ISO 639-1 code. Their names come from the runtime's Unicode data
 * (Intl.DisplayNames) in each language the bot speaks and in the language itself ("French", "francés", "francese",
 * "français"), so nothing here is translated by hand.
 */
const ASKED_FOR =
  'ar bg ca cs da de el en es et eu fa fi fr ga gl he hi hr hu id it ja ko lt lv ms nl no pl pt ro ru sk sl sr sv th tl tr uk ur vi zh'.split(
    ' ',
  );

let names: Map<string, string> | undefined;

/** Every one-word name of those languages, as the reply layer writes words, to its code. */
function languageNames(): Map<string, string> {
  if (names) return names;
  names = new Map();
  for (const code of ASKED_FOR) {
    for (const inLanguage of [...supportedLocales(), code]) {
      const name = new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code);
      const words = name ? wordsOf(name, 'en') : [];
      if (words.length === 1 && words[0]!.word !== code) names.set(words[0]!.word, code);
    }
  }
  return names;
}

/**
 * A request to speak a language the bot does not speak: "en français svp", "deutsch bitte", "can you speak
 * german?", "¿hablas francés?". Returns the language's code. A message about the device is not one ("my iPhone is
 * in French", "me sale en alemán"): besides the language's name, every word must be a verb of speaking or switching,
 * a filler or a thanks of one of the bot's languages, but one (a "bitte", a "svp").
 */
export function readOtherLanguage(text: string, locale: string): string | undefined {
  const supported = supportedLocales();
  const other = (w: Word): string | undefined => {
    const code = languageNames().get(w.word);
    return code && !supported.includes(code) ? code : undefined;
  };
  for (const l of [locale, ...supported.filter((s) => s !== locale)]) {
    const lex = lexicon(l);
    const words = wordsOf(text, lex.locale);
    if (words.length === 0 || words.length > 8) return undefined;
    const code = words.map(other).find((c) => !!c);
    if (!code) return undefined;
    // Read apart: a word that also says "ok" ("sale" in Spanish) still says what the device shows.
    if (findPhrases(words, lex.pick(['domain', 'appears', 'trouble'])).length > 0) return undefined;
    const found = findPhrases(words, lex.pick(['languageVerb', 'yes', 'thanks', 'scope']));
    const covered = new Set(found.flatMap((f) => f.covered));
    const left = words.filter((w, i) => !other(w) && !covered.has(i) && !isFiller(lex, w));
    if (left.length <= 1) return code;
  }
  return undefined;
}

/**
 * The languages the bot speaks, named in `locale` ("English, Spanish, and Italian"), and the word that switches to
 * each (its first language command: "english, español, or italiano"): the locale folders decide, not this file.
 */
export function spokenLanguages(locale: string, switchWord: (lng: string) => string): { languages: string; commands: string } {
  const all = supportedLocales();
  const display = new Intl.DisplayNames([locale], { type: 'language' });
  return {
    languages: new Intl.ListFormat(locale, { type: 'conjunction' }).format(all.map((l) => display.of(l) ?? l)),
    commands: new Intl.ListFormat(locale, { type: 'disjunction' }).format(all.map(switchWord)),
  };
}

/** The name of a language in `locale` ("German", "alemán", "tedesco"). */
export const languageName = (code: string, locale: string): string =>
  new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
