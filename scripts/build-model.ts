/**
 * Build step: trains one symptom-recognition model per locale folder and writes dist/models/nlu-<lng>.json.
 * The bot and the CLI only load these files; nothing is trained on the request path.
 */
import * as fs from 'fs';
import * as path from 'path';
import { supportedLocales } from '../src/core/knowledge/locales';
import { trainCalibrated } from '../src/core/nlu/calibrate';
import { trainingExamples } from '../src/core/nlu/dataset';
import { readLexicon } from '../src/core/nlu/lexicon';
import { serializeModel } from '../src/core/nlu/model';
import { modelPath } from '../src/core/nlu/recognizer';

function main(): void {
  for (const locale of supportedLocales()) {
    const started = Date.now();
    const examples = trainingExamples(locale);
    const model = trainCalibrated(examples, locale, 5, { lexicon: readLexicon(locale) });
    fs.mkdirSync(path.dirname(modelPath(locale)), { recursive: true });
    fs.writeFileSync(modelPath(locale), serializeModel(model));
    process.stderr.write(
      `nlu model ${locale}: ${examples.length} examples, ${model.vocabulary.length} features, threshold ${model.threshold}, did-you-mean from ${model.suggestThreshold}, ${Date.now() - started} ms\n`,
    );
  }
}

main();
