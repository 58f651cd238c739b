import { readLocaleFile } from '../knowledge/locales';
import { ConceptMatcher } from '../nlu/lexicon';
import { normalize } from '../nlu/text';

/**
 * Messages beside the enrollment problems that the bot answers in one line instead of its menu: a lost or stolen
 * device (IT must act at once), a factory reset (not an enrollment problem), how to get the Company Portal app (the
 * first step of enrolling). Their words are locales/<lng>/nlu-asides.json, one list per kind (a trailing `*` matches
 * any ending).
 */
export const ASIDES_FILE = 'nlu-asides.json';

export const ASIDE_KINDS = ['lostDevice', 'factoryReset', 'getCompanyPortal'] as const;
export type Aside = (typeof ASIDE_KINDS)[number];

const matchers = new Map<string, ConceptMatcher>();

function asidesOf(locale: string): ConceptMatcher {
  let m = matchers.get(locale);
  if (m) return m;
  const data = readLocaleFile(locale, ASIDES_FILE) ?? {};
  const lexicon: Record<string, string[]> = {};
  for (const kind of ASIDE_KINDS) {
    const phrases = data[kind];
    if (!Array.isArray(phrases) || phrases.length === 0 || phrases.some((p) => typeof p !== 'string'))
      throw new Error(`locales/${locale}/${ASIDES_FILE}: "${kind}" must be a list of phrases`);
    lexicon[kind] = phrases as string[];
  }
  matchers.set(locale, (m = new ConceptMatcher(lexicon)));
  return m;
}

/** The kind of aside the message is, the most urgent first (a lost device before anything else); or undefined. */
export function readAside(text: string, locale: string): Aside | undefined {
  const found = asidesOf(locale).find(normalize(text));
  return ASIDE_KINDS.find((k) => found.includes(k));
}
