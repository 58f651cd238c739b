import { DEFAULT_LOCALE, readLocaleFile } from '../knowledge/locales';
import { findPhrases, Phrase, wordsOf } from './phrases';

/**
 * What people ask back at a question instead of answering it: why it is asked ("why do you need to know?", "a cosa
 * serve saperlo?", "¿por qué me lo preguntas?") or how to find the answer ("how do I know?", "come faccio a
 * saperlo?", "¿cómo lo sé?"). Their words are locales/<lng>/questionAsides.json (English is read in every language too, as
 * for the other replies).
 */
export const ASIDE_KINDS = ['why', 'how'] as const;
export type Aside = (typeof ASIDE_KINDS)[number];

const phrases = new Map<string, Phrase<Aside>[]>();

function asidePhrases(locale: string): Phrase<Aside>[] {
  const cached = phrases.get(locale);
  if (cached) return cached;
  const out: Phrase<Aside>[] = [];
  for (const source of locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE]) {
    const data = readLocaleFile(source, 'questionAsides.json') as Record<string, string[]> | undefined;
    for (const kind of ASIDE_KINDS) {
      for (const text of data?.[kind] ?? []) {
        const words = wordsOf(text, source);
        if (words.length > 0) out.push({ kind, words, weight: words.length });
      }
    }
  }
  phrases.set(locale, out);
  return out;
}

/**
 * Which aside the message is, if it is one: a short message (a question about the question is a line, not a
 * description) that starts with one of the phrases. "I don't know" is an answer, not an aside.
 */
export function readAside(text: string, locale: string): Aside | undefined {
  const words = wordsOf(text, locale);
  if (words.length === 0 || words.length > 12) return undefined;
  // A short phrase ("why", "por qué", "come mai") is an aside only in a short message: "why is my iPad stuck" is a
  // problem.
  const found = findPhrases(words, asidePhrases(locale)).filter((f) => f.start <= 1 && (f.covered.length >= 3 || words.length <= 3));
  return found[0]?.kind;
}
