import * as fs from 'fs';
/**
 * Recognition on messages written by someone who never saw the training lines (locales/<lng>/nlu-blind*.json), the
 * concept lexicon every locale folder carries, and the "did you mean…?" band below the `none` threshold.
 */
import { loadCatalog, NONE } from '../src/core/knowledge/catalog';
import { availableLocales, DEFAULT_LOCALE } from '../src/core/knowledge/locales';
import { EVALUATION_SETS, readExamples, trainingExamples } from '../src/core/nlu/dataset';
import { evaluate } from '../src/core/nlu/evaluate';
import { ConceptMatcher, readLexicon, readLexiconFile } from '../src/core/nlu/lexicon';
import { parseModel, serializeModel, train } from '../src/core/nlu/model';
import { modelPath, SymptomRecognizer } from '../src/core/nlu/recognizer';
import { normalize } from '../src/core/nlu/text';
import { sharedRecognizer } from './helpers/harness';

const recognizer = sharedRecognizer();
const locales = availableLocales();
const blindFiles = ['nlu-blind.json', 'nlu-blind-untouched.json'] as const;

describe('blind set (independent writer, never trained on)', () => {
  it.each(locales)('%s: no blind message, normalized, is among the lines the model is trained on', (locale) => {
    const trained = new Set(trainingExamples(locale).map((e) => normalize(e.text)));
    for (const file of blindFiles) {
      const leaked = readExamples(locale, file).filter((e) => trained.has(normalize(e.text)));
      expect({ file, leaked }).toEqual({ file, leaked: [] });
    }
  });

  it.each(locales)('%s: the untouched third shares no message with the part used while tuning', (locale) => {
    const tuned = new Set(readExamples(locale, 'nlu-blind.json').map((e) => normalize(e.text)));
    expect(readExamples(locale, 'nlu-blind-untouched.json').filter((e) => tuned.has(normalize(e.text)))).toEqual([]);
  });

  it.each(locales)('%s: covers every symptom and out-of-scope near misses', (locale) => {
    const examples = blindFiles.flatMap((f) => readExamples(locale, f));
    for (const s of loadCatalog().symptoms) {
      expect({ s: s.id, enough: examples.filter((e) => e.intent === s.id).length >= 10 }).toEqual({ s: s.id, enough: true });
    }
    expect(examples.filter((e) => e.intent === NONE).length).toBeGreaterThanOrEqual(45);
  });

  it.each(blindFiles.flatMap((file) => locales.map((locale) => [file, locale] as const)))(
    '%s, %s: at least 97%% of in-scope messages right at top-1 and 95%% of out-of-scope answered none',
    (file, locale) => {
      const r = evaluate(recognizer, locale, readExamples(locale, file));
      expect(r.inScopeAccuracy).toBeGreaterThanOrEqual(0.97);
      expect(r.noneAccuracy).toBeGreaterThanOrEqual(0.95);
      expect(r.inScopeAmongChoices).toBeGreaterThanOrEqual(r.inScopeAccuracy);
    },
  );

  it('is one of the sets `npm run nlu -- evaluate` reports', () => {
    expect(EVALUATION_SETS.map((s) => s.file)).toEqual(['nlu-heldout.json', ...blindFiles]);
  });
});

describe('concept lexicon (locales/<lng>/nlu-lexicon.json)', () => {
  const concepts = Object.keys(readLexiconFile(DEFAULT_LOCALE)).sort();

  it.each(locales)('%s: has every concept of the English lexicon, each with phrases', (locale) => {
    const lexicon = readLexiconFile(locale);
    expect(Object.keys(lexicon).sort()).toEqual(concepts);
    for (const [concept, phrases] of Object.entries(lexicon)) {
      expect({ concept, empty: phrases.filter((p) => !normalize(p.replace(/\*/g, ''))) }).toEqual({ concept, empty: [] });
      expect({ concept, count: phrases.length > 0 }).toEqual({ concept, count: true });
    }
  });

  it('finds concepts through synonyms, endings and accents, and only whole words', () => {
    const en = new ConceptMatcher(readLexicon('en'));
    expect(en.find(normalize("user's CP says cap hit"))).toEqual(expect.arrayContaining(['company-portal', 'device-limit']));
    expect(en.find(normalize('my licence is not valid'))).toEqual(expect.arrayContaining(['license', 'invalid']));
    expect(en.find(normalize('capital'))).not.toContain('device-limit');
    const it = new ConceptMatcher(readLexicon('it'));
    expect(it.find(normalize('la licenza non è valida'))).toEqual(expect.arrayContaining(['license', 'invalid']));
    // The English lexicon is merged into the others: English pasted into an Italian chat still finds its concepts.
    expect(it.find(normalize('Company Portal temporarily unavailable'))).toEqual(
      expect.arrayContaining(['company-portal', 'temporarily-down']),
    );
    const es = new ConceptMatcher(readLexicon('es'));
    expect(es.find(normalize('somos GCC High y nos redirige a la nube pública'))).toEqual(
      expect.arrayContaining(['gov-cloud', 'public-cloud']),
    );
  });

  it('is saved with each model, so scoring uses the lexicon the model was trained with', () => {
    const data = train(
      [
        { text: 'too many devices', intent: 'device-cap-reached' },
        { text: 'hello there', intent: NONE },
      ],
      'en',
      { lexicon: { 'device-limit': ['too many'] } },
    );
    expect(data.lexicon).toEqual({ 'device-limit': ['too many'] });
    expect(data.vocabulary).toContain('k:device-limit');
  });
});

describe('saved models', () => {
  it('load back with the same scores as the trained model', () => {
    const data = train(
      [
        { text: 'too many devices', intent: 'device-cap-reached' },
        { text: 'licence not valid', intent: 'license-type-invalid' },
        { text: 'hello there', intent: NONE },
      ],
      'en',
      { epochs: 30, lexicon: { 'device-limit': ['too many'] } },
    );
    const before = SymptomRecognizer.fromModels([{ ...data, threshold: 0.3 }]).recognize('too many phones', 'en');
    const after = SymptomRecognizer.fromModels([{ ...parseModel(serializeModel(data)), threshold: 0.3 }]).recognize(
      'too many phones',
      'en',
    );
    expect(after.candidates).toEqual(before.candidates);
  });

  it('refuses a damaged model file instead of scoring with garbage', () => {
    const data = train(
      [
        { text: 'too many devices', intent: 'device-cap-reached' },
        { text: 'hi', intent: NONE },
      ],
      'en',
      { epochs: 5 },
    );
    const saved = JSON.parse(serializeModel(data)) as { weights: string };
    saved.weights = saved.weights.slice(0, 8);
    expect(() => parseModel(JSON.stringify(saved))).toThrow(/damaged/);
  });
});

describe('did you mean…? below the none threshold', () => {
  const examples = [
    { text: 'too many devices on my account', intent: 'device-cap-reached' },
    { text: 'device limit reached', intent: 'device-cap-reached' },
    { text: 'my licence is not valid', intent: 'license-type-invalid' },
    { text: 'wrong license type', intent: 'license-type-invalid' },
    { text: 'hello', intent: NONE },
    { text: 'thanks a lot', intent: NONE },
  ];
  const base = train(examples, 'en', { epochs: 60 });
  const message = 'limit of devices';

  it('offers the ranked symptoms instead of a plain none when the top score is in the band', () => {
    const r = SymptomRecognizer.fromModels([{ ...base, threshold: 0.99, suggestThreshold: 0.05 }]).recognize(message, 'en');
    expect(r.intent).toBe(NONE);
    expect(r.ambiguous).toBe(true);
    expect(r.candidates[0]!.intent).toBe('device-cap-reached');
    expect(r.candidates.length).toBeGreaterThan(1);
  });

  it('answers a plain none below the band', () => {
    const r = SymptomRecognizer.fromModels([{ ...base, threshold: 0.99, suggestThreshold: 0.99 }]).recognize('hello', 'en');
    expect(r.intent).toBe(NONE);
    expect(r.ambiguous).toBe(false);
  });

  it('answers the symptom itself above the threshold', () => {
    const r = SymptomRecognizer.fromModels([{ ...base, threshold: 0.05, suggestThreshold: 0.05 }]).recognize(message, 'en');
    expect(r.intent).toBe('device-cap-reached');
  });

  it('every built model has a band whose lower edge is at or below its threshold', () => {
    for (const locale of recognizer.locales) {
      const data = parseModel(fs.readFileSync(modelPath(locale), 'utf8'));
      expect(data.suggestThreshold).toBeDefined();
      expect(data.suggestThreshold!).toBeLessThanOrEqual(data.threshold);
    }
  });
});
