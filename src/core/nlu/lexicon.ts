import { DEFAULT_LOCALE, readLocaleFile } from '../knowledge/locales';
import { normalize } from './text';

/**
 * A concept lexicon: concept id → the words and phrases people use for it ("too many phones", "cap hit", "max
 * devices" → device-limit). Written per locale in locales/<lng>/nlu-lexicon.json; a trailing `*` on a word matches any
 * ending ("licen*" → licence, license, licencia, licenza). The classifier sees each concept found in a message as one
 * feature, so a paraphrase that shares no word with the training lines still lands on the concept they share.
 */
export type Lexicon = Record<string, string[]>;

export const LEXICON_FILE = 'nlu-lexicon.json';

/** The lexicon of one locale, with the English one merged in: people paste English error text into any chat. */
export function readLexicon(locale: string): Lexicon {
  const own = readLexiconFile(locale);
  if (locale === DEFAULT_LOCALE) return own;
  const en = readLexiconFile(DEFAULT_LOCALE);
  const out: Lexicon = {};
  for (const concept of new Set([...Object.keys(own), ...Object.keys(en)])) {
    out[concept] = [...new Set([...(own[concept] ?? []), ...(en[concept] ?? [])])];
  }
  return out;
}

export function readLexiconFile(locale: string): Lexicon {
  const data = readLocaleFile(locale, LEXICON_FILE);
  if (!data) throw new Error(`locales/${locale}/${LEXICON_FILE} is missing`);
  const out: Lexicon = {};
  for (const [concept, phrases] of Object.entries(data)) {
    if (!Array.isArray(phrases) || phrases.some((p) => typeof p !== 'string')) {
      throw new Error(`locales/${locale}/${LEXICON_FILE}: "${concept}" must be a list of phrases`);
    }
    out[concept] = phrases as string[];
  }
  return out;
}

/** One phrase as a regular expression over normalized text: whole words, `*` as "any ending". */
function phrasePattern(phrase: string): string | undefined {
  const words = phrase
    .split(/\s+/)
    .map((w) => {
      const wildcard = w.endsWith('*');
      const n = normalize(wildcard ? w.slice(0, -1) : w);
      return n ? n + (wildcard ? '[a-z0-9]*' : '') : '';
    })
    .filter((w) => w !== '');
  return words.length ? words.join(' ') : undefined;
}

/** A lexicon compiled once: one regular expression per concept. */
export class ConceptMatcher {
  private readonly concepts: { id: string; re: RegExp; every: RegExp }[];

  constructor(lexicon: Lexicon) {
    this.concepts = Object.entries(lexicon)
      .map(([id, phrases]) => {
        const patterns = [...new Set(phrases.map(phrasePattern).filter((p): p is string => !!p))];
        // Longest first so that an alternation prefers "gcc high" over "gcc"; boundaries are spaces of the normalized text.
        patterns.sort((a, b) => b.length - a.length);
        const source = `(?:^| )(?:${patterns.join('|')})(?= |$)`;
        return { id, re: new RegExp(source), every: new RegExp(source, 'g') };
      })
      .filter((c) => c.re.source !== '(?:^| )(?:)(?= |$)');
  }

  /** Concepts found in an already normalized message, in lexicon order. */
  find(normalized: string): string[] {
    const out: string[] = [];
    for (const c of this.concepts) if (c.re.test(normalized)) out.push(c.id);
    return out;
  }

  /** The normalized message without the phrases of the given concepts ("my iphone says …" → "my …"). */
  strip(normalized: string, ids: ReadonlySet<string>): string {
    let out = normalized;
    for (const c of this.concepts) if (ids.has(c.id)) out = out.replace(c.every, ' ');
    return out.replace(/ +/g, ' ').trim();
  }
}
