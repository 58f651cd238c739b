// Only the modules used are imported, each from its own file. `require('natural')` loads storage back-ends that call
// dotenv.config() and print to stdout, which would break the CLI's JSON-lines contract; and the stemmer and tokenizer
// indexes load every language's stemmers and tokenizers, which the bot never uses, into every process.
/* eslint-disable @typescript-eslint/no-require-imports */
type Stemmer = { stem(t: string): string };
const stemEn = require('natural/lib/natural/stemmers/porter_stemmer') as Stemmer;
const stemEs = require('natural/lib/natural/stemmers/porter_stemmer_es') as Stemmer;
const stemIt = require('natural/lib/natural/stemmers/porter_stemmer_it') as Stemmer;
const AggressiveTokenizer = require('natural/lib/natural/tokenizers/aggressive_tokenizer') as new () => {
  tokenize(text: string): string[];
};
type Stopwords = { words: string[] };
const stopwordLists: Record<string, Stopwords> = {
  en: require('natural/lib/natural/util/stopwords') as Stopwords,
  es: require('natural/lib/natural/util/stopwords_es') as Stopwords,
  it: require('natural/lib/natural/util/stopwords_it') as Stopwords,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const stemmers: Record<string, Stemmer> = { en: stemEn, es: stemEs, it: stemIt };
const tokenizer = new AggressiveTokenizer();

/** The classifier only looks at the start of very long messages (a pasted log is recognised from its first lines). */
export const MAX_TEXT_LENGTH = 1500;

/** Lower case, no accents, punctuation and underscores as spaces, single spaces. */
export function normalize(text: string): string {
  return text
    .slice(0, MAX_TEXT_LENGTH)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/([a-z])([0-9])/g, '$1 $2')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Letters and digits only: "No_Enrollment Policy" and "NOENROLLMENTPOLICY" become the same string. */
export function compact(text: string): string {
  return normalize(text).replace(/ /g, '');
}

export function tokenize(text: string): string[] {
  const n = normalize(text);
  return n ? tokenizer.tokenize(n).filter((t) => t.length > 0) : [];
}

/** Function words ("no", "se", "the", "di") of every language the bot reads, normalized like a message. */
const FUNCTION_WORDS = new Set(Object.values(stopwordLists).flatMap((l) => l.words.map(normalize).filter((w) => w !== '')));

/**
 * The words of a message that carry content: not function words of any of the bot's languages. "no sé" has none:
 * its two words are also the start of "No se admite este servicio", yet they say nothing about any problem.
 */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((t) => !FUNCTION_WORDS.has(t));
}

/**
 * Stems are remembered per locale: the same few thousand words come back in every message, and natural's Spanish and
 * Italian stemmers are the costliest step of a message. The memory is bounded: it starts over when full.
 */
const STEM_MEMORY = 20000;
const stemMemory = new Map<string, Map<string, string>>();

export function stem(token: string, locale: string): string {
  const key = stemmers[locale] ? locale : 'en';
  let memory = stemMemory.get(key);
  if (!memory) stemMemory.set(key, (memory = new Map()));
  let s = memory.get(token);
  if (s === undefined) {
    if (memory.size >= STEM_MEMORY) memory.clear();
    s = (stemmers[key] ?? stemEn).stem(token);
    memory.set(token, s);
  }
  return s;
}

/**
 * How many times a lexicon concept counts against one word or character n-gram: a concept stands for many wordings,
 * so it should weigh more than any one of them.
 */
export const CONCEPT_WEIGHT = 3;

/** The weight of a feature in the model's sum (a whole number: the feature is counted that many times). */
export const featureWeight = (f: string): number => (f.startsWith('k:') || f.startsWith('p:') ? CONCEPT_WEIGHT : 1);

/** Finds the concepts of a lexicon in a normalized message (see ./lexicon.ts). */
export interface Concepts {
  find(normalized: string): string[];
}

/**
 * Sparse binary features of a message: stems in the user's language and in English (users mix in English error
 * texts), stem bigrams, character n-grams of every token so that typos still share most features, and the concepts
 * of the locale's lexicon, alone and in pairs ("stuck" with "sign-in" says more than either).
 */
export function features(text: string, locale: string, concepts?: Concepts): string[] {
  const tokens = tokenize(text);
  const out = new Set<string>();
  if (concepts) {
    const found = concepts.find(normalize(text));
    for (let i = 0; i < found.length; i++) {
      out.add(`k:${found[i]}`);
      for (let j = i + 1; j < found.length; j++) out.add(`p:${found[i]}+${found[j]}`);
    }
  }
  let prev = '';
  for (const tok of tokens) {
    const s = stem(tok, locale);
    out.add(`w:${s}`);
    if (locale !== 'en') out.add(`e:${stem(tok, 'en')}`);
    if (prev) out.add(`b:${prev}_${s}`);
    prev = s;
    const padded = `<${tok}>`;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= padded.length; i++) out.add(`c:${padded.slice(i, i + n)}`);
    }
  }
  return [...out];
}
