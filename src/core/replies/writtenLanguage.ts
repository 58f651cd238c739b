import { loadCatalog } from '../knowledge/catalog';
import { readLocaleFile, supportedLocales } from '../knowledge/locales';
import { fragmentOf, matchErrorText } from '../nlu/errorTexts';
import { normalize } from '../nlu/text';
import { wordsOf } from './phrases';
import { strings } from './vocabulary';

/** Words of its own a language must show before a message counts as written in it. */
const MIN_OWN_WORDS = 3;

const vocabularies = new Map<string, Set<string>>();

/**
 * The words of what the bot itself says in a language (its knowledge and its interface texts), four letters or
 * more: the reply lexicons and training messages also hold other languages' words on purpose, these do not.
 */
function ownWords(locale: string): Set<string> {
  const cached = vocabularies.get(locale);
  if (cached) return cached;
  const texts = strings([readLocaleFile(locale, 'knowledge.json'), readLocaleFile(locale, 'ui.json')], []);
  const words = new Set<string>();
  for (const text of texts) for (const w of wordsOf(text, locale)) if (w.word.length >= 4 && !w.digits) words.add(w.word);
  vocabularies.set(locale, words);
  return words;
}

/**
 * The language the bot speaks that a problem description is clearly written in, when it is not the chat's: the
 * message uses at least three words that only that language's texts use (its knowledge and interface texts: "nome", "utente", "riconosciuto"), and none of the chat's own. Words every language
 * shares ("iphone", "ipad", an error code such as "AccountNotOnboarded") count for none, so short or ambiguous
 * messages never switch. A known error text is what the device shows, in the device's language: pasted alone
 * ("Profile Installation Failed") or with words of the chat's language around it ("my iPhone says No se pudo…") it
 * says nothing of the writer's. Returns the locale, or undefined to stay in the chat's.
 */
export function writtenIn(text: string, chatLocale: string): string | undefined {
  const locales = supportedLocales();
  if (!locales.includes(chatLocale)) return undefined;
  if (fragmentOf(text).length > 0) return undefined;
  const error = matchErrorText(text);
  // The device's own English text or code, quoted in any language ("perdón, en realidad dice Device Cap Reached"),
  // counts for no language; a locale's own wording of an error is that language's.
  const deviceText = !!error && loadCatalog().symptoms.some((s) => s.codes.includes(error.text) || s.errorTexts.includes(error.text));
  const shownWords = new Set(deviceText ? normalize(error.text).split(' ') : []);
  const own = new Map<string, number>();
  for (const locale of locales) {
    const mine = ownWords(locale);
    const others = locales.filter((l) => l !== locale).map(ownWords);
    const words = new Set(wordsOf(text, locale).map((w) => w.word));
    own.set(locale, [...words].filter((w) => !shownWords.has(w) && mine.has(w) && !others.some((o) => o.has(w))).length);
  }
  const chat = own.get(chatLocale) ?? 0;
  if (error) {
    const shown = new Set(normalize(error.text).split(' '));
    const around = wordsOf(text, chatLocale).filter((w) => !shown.has(w.word));
    const others = locales.filter((l) => l !== chatLocale).map(ownWords);
    const chatWords = around.filter((w) => ownWords(chatLocale).has(w.word) && !others.some((o) => o.has(w.word)));
    if (around.length < 2 || chatWords.length > 0) return undefined;
  }
  const [best, count] = [...own.entries()].sort((a, b) => b[1] - a[1])[0]!;
  if (best === chatLocale) return undefined;
  // A word of the chat's language ("my iPhone says No se pudo…") keeps it; two of the other's are enough in a
  // sentence ("hola, mi ipad no se inscribe…").
  if (chat > 0) return undefined;
  return count >= MIN_OWN_WORDS || (count >= 2 && wordsOf(text, best).length >= 5) ? best : undefined;
}
