import * as fs from 'fs';
import { Intent, isSymptomId, NONE, SymptomId } from '../knowledge/catalog';
import { resolveLocale, supportedLocales } from '../knowledge/locales';
import { fromRoot } from '../paths';
import { Entities, extractEntities } from './entities';
import { fragmentOf, matchErrorText, relatedErrorOf } from './errorTexts';
import { Model, ModelData, parseModel } from './model';
import { stageOf } from './stages';
import { contentWords, normalize } from './text';

export interface Candidate {
  intent: SymptomId;
  score: number;
}

export interface Recognition {
  text: string;
  locale: string;
  /** A symptom id, or "none" when the message is not about a covered enrollment problem. */
  intent: Intent;
  score: number;
  /** In-scope symptoms ranked by score (at most 3; every symptom of a stage named), for "did you mean…?". */
  candidates: Candidate[];
  /** True when the top two symptoms are too close to pick one without asking. */
  ambiguous: boolean;
  entities: Entities;
  /**
   * With intent "none": the message says nothing that tells the symptoms apart, only that enrolling fails ("my
   * iPhone won't enroll") or nothing at all ("no sé"). The bot asks what the device shows rather than offering
   * symptoms that merely share its generic words.
   */
  vague: boolean;
  /** How the intent was found: a pasted error text or code, an enrollment stage named, or the statistical model. */
  source: 'error-text' | 'stage' | 'model' | 'empty';
}

/** Score of a symptom found from a pasted error text or code. */
const ERROR_TEXT_SCORE = 0.99;
/** Two symptoms closer than this (and both plausible) are offered as a choice. */
const AMBIGUITY_MARGIN = 0.2;
/**
 * Lexicon concepts every enrollment problem shares: enrolling, the device, "it says", Company Portal, a profile.
 * A message with only these says that something fails, not what.
 */
const GENERIC_CONCEPTS = new Set(['enroll', 'ios-device', 'many-devices', 'error-says', 'company-portal', 'management-profile']);
/** Words that frame a quoted error ("my iPhone says …", "me sale en el iPad …"), not part of it. */
const QUOTING_CONCEPTS: ReadonlySet<string> = new Set(['ios-device', 'error-says']);

export const modelPath = (locale: string): string => fromRoot('dist', 'models', `nlu-${locale}.json`);

export class SymptomRecognizer {
  private constructor(private readonly models: Map<string, Model>) {}

  /** Loads the models built by `npm run build` (scripts/build-model.ts). Nothing is trained here. */
  static load(locales: string[] = supportedLocales()): SymptomRecognizer {
    const models = new Map<string, Model>();
    for (const l of locales) {
      const p = modelPath(l);
      if (!fs.existsSync(p)) throw new Error(`NLU model for "${l}" not found at ${p}: run "npm run build" first.`);
      models.set(l, new Model(parseModel(fs.readFileSync(p, 'utf8'))));
    }
    return new SymptomRecognizer(models);
  }

  static fromModels(models: ModelData[]): SymptomRecognizer {
    return new SymptomRecognizer(new Map(models.map((m) => [m.locale, new Model(m)])));
  }

  get locales(): string[] {
    return [...this.models.keys()];
  }

  recognize(text: string, rawLocale: string): Recognition {
    const locale = resolveLocale(rawLocale, this.locales);
    const model = this.models.get(locale);
    if (!model) throw new Error(`No model for locale ${locale}`);
    const entities = extractEntities(text);
    if (!normalize(text)) {
      return { text, locale, intent: NONE, score: 1, candidates: [], ambiguous: false, vague: false, entities, source: 'empty' };
    }
    const scored = model.score(text);
    const noneScore = scored.find((s) => s.intent === NONE)?.score ?? 0;
    let candidates: Candidate[] = scored
      .filter((s): s is Candidate => isSymptomId(s.intent))
      .slice(0, 3)
      .map((c) => ({ intent: c.intent, score: round(c.score) }));

    const match = matchErrorText(text);
    if (match) {
      if (!entities.errorText) entities.errorText = match.text;
      candidates = [{ intent: match.symptom, score: ERROR_TEXT_SCORE }, ...candidates.filter((c) => c.intent !== match.symptom)].slice(
        0,
        3,
      );
      return {
        text,
        locale,
        intent: match.symptom,
        score: ERROR_TEXT_SCORE,
        candidates,
        ambiguous: false,
        vague: false,
        entities,
        source: 'error-text',
      };
    }

    const related = relatedErrorOf(text);
    if (related.length > 0) {
      // An error the articles do not name: ask, offering first the symptoms whose causes cover it.
      const offered = [
        ...related.map((intent) => ({ intent, score: round(scored.find((s) => s.intent === intent)?.score ?? 0) })),
        ...candidates.filter((c) => !related.includes(c.intent)),
      ].slice(0, Math.max(2, related.length));
      return {
        text,
        locale,
        intent: NONE,
        score: round(noneScore),
        candidates: offered,
        ambiguous: true,
        vague: false,
        entities,
        source: 'error-text',
      };
    }

    const stage = stageOf(text, locale);
    if (stage.length > 0) {
      // The answer to "at which step does it stop?" ("signing in to Company Portal"): the symptoms of that stage.
      return {
        text,
        locale,
        intent: NONE,
        score: round(noneScore),
        candidates: stage.map((intent) => ({ intent, score: round(scored.find((s) => s.intent === intent)?.score ?? 0) })),
        ambiguous: true,
        vague: false,
        entities,
        source: 'stage',
      };
    }

    const shared = fragmentOf(model.withoutConcepts(text, QUOTING_CONCEPTS));
    if (shared.length > 1) {
      // A fragment common to several error texts: offer those, best first.
      const ranked = shared
        .map((intent) => ({ intent, score: round(scored.find((s) => s.intent === intent)?.score ?? 0) }))
        .sort((a, b) => b.score - a.score);
      return {
        text,
        locale,
        intent: ranked[0]!.intent,
        score: ranked[0]!.score,
        candidates: ranked.slice(0, 3),
        ambiguous: true,
        vague: false,
        entities,
        source: 'error-text',
      };
    }

    if (contentWords(text).length === 0) {
      return { text, locale, intent: NONE, score: round(noneScore), candidates, ambiguous: false, vague: true, entities, source: 'model' };
    }
    const top = candidates[0];
    const second = candidates[1];
    if (!top || top.score < model.threshold || noneScore > top.score) {
      const concepts = model.conceptsOf(text);
      const vague = concepts.includes('enroll') && concepts.every((c) => GENERIC_CONCEPTS.has(c));
      // Not confident about any symptom. In the low band below the threshold, or when two symptoms together clearly
      // beat "none", the bot asks "did you mean…?" instead of saying it cannot help: a paraphrase of a real symptom
      // scores lower than its error text, and a wrong guess costs more than a question.
      const ambiguous =
        !vague &&
        !!top &&
        !!second &&
        (top.score >= model.suggestThreshold || (top.score + second.score >= model.threshold && top.score + second.score > noneScore));
      return {
        text,
        locale,
        intent: NONE,
        score: round(Math.max(noneScore, 1 - (top?.score ?? 0))),
        candidates,
        ambiguous,
        vague,
        entities,
        source: 'model',
      };
    }
    const ambiguous = !!second && top.score - second.score < AMBIGUITY_MARGIN && second.score >= model.threshold / 2;
    return { text, locale, intent: top.intent, score: top.score, candidates, ambiguous, vague: false, entities, source: 'model' };
  }
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
