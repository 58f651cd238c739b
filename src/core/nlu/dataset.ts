import { loadCatalog, NONE } from '../knowledge/catalog';
import { readLocaleFile, seenTexts } from '../knowledge/locales';
import { Example } from './model';

/**
 * nlu-train.json is trained on; nlu-heldout.json (written by the same hand), nlu-blind.json and
 * nlu-blind-untouched.json (written by someone who never saw the training lines) never are. The untouched third of
 * the blind set was put aside before anyone looked at the blind set, so it alone measures what tuning did not see.
 */
export type ExampleFile = 'nlu-train.json' | 'nlu-heldout.json' | 'nlu-blind.json' | 'nlu-blind-untouched.json';

/** The evaluation sets, in the order the evaluation reports them. */
export const EVALUATION_SETS: { file: ExampleFile; title: string }[] = [
  { file: 'nlu-heldout.json', title: 'held-out (written with the training lines)' },
  { file: 'nlu-blind.json', title: 'blind (independent writer; looked at while tuning)' },
  { file: 'nlu-blind-untouched.json', title: 'blind, untouched third (never looked at)' },
];

/** Examples of one locale file as {text, intent} pairs. Unknown intents are an error, not silently skipped. */
export function readExamples(locale: string, file: ExampleFile): Example[] {
  const data = readLocaleFile(locale, file) as Record<string, string[]> | undefined;
  if (!data) throw new Error(`locales/${locale}/${file} is missing`);
  const valid = new Set<string>([...loadCatalog().symptoms.map((s) => s.id), NONE]);
  const out: Example[] = [];
  for (const [intent, texts] of Object.entries(data)) {
    if (!valid.has(intent)) throw new Error(`locales/${locale}/${file}: unknown intent "${intent}"`);
    for (const text of texts) out.push({ text, intent });
  }
  return out;
}

/**
 * Training set of one locale: its own examples plus every error text and code the bot knows in every language,
 * because users paste the device's text whatever language they write in.
 */
export function trainingExamples(locale: string): Example[] {
  const examples = readExamples(locale, 'nlu-train.json');
  for (const s of loadCatalog().symptoms) {
    for (const t of [...s.errorTexts, ...s.codes]) examples.push({ text: t, intent: s.id });
    if (s.group !== 'error-message') continue;
    for (const seen of seenTexts(s.id)) examples.push({ text: seen, intent: s.id });
  }
  return examples;
}
