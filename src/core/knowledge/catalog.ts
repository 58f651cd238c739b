import * as fs from 'fs';
import { fromRoot } from '../paths';

export type SymptomId =
  | 'network-error'
  | 'server-connection-failed'
  | 'service-not-supported'
  | 'company-portal-unavailable'
  | 'device-cap-reached'
  | 'workplace-join-failed'
  | 'license-type-invalid'
  | 'user-name-not-recognized'
  | 'payload-mismatch'
  | 'noenrollmentpolicy'
  | 'accountnotonboarded'
  | 'xpc-connection-invalid'
  | 'ade-enrollment-doesnt-start'
  | 'ade-stuck-at-login'
  | 'gov-cloud-redirect';

export const NONE = 'none';
export type Intent = SymptomId | typeof NONE;

export type QuestionId =
  | 'error-message'
  | 'error-location'
  | 'started'
  | 'platform'
  | 'users-affected'
  | 'devices-affected'
  | 'mdm-authority'
  | 'enrollment-method';

/** Who can be expected to answer a question: everyone, or only a helpdesk agent / administrator. */
export type Audience = 'everyone' | 'agent';

export interface Cause {
  id: string;
  steps: string[];
  notes: string[];
  warnings: string[];
  links: string[];
}

export interface Symptom {
  id: SymptomId;
  group: string;
  anchor: string;
  /** The English text the device or Company Portal shows; users paste it whatever their language. */
  errorTexts: string[];
  /** Error codes shown by Intune or the device log (NoEnrollmentPolicy, XPC_TYPE_ERROR…), matched in any case or spacing. */
  codes: string[];
  related: SymptomId[];
  causes: Cause[];
}

export interface Question {
  id: QuestionId;
  audience: Audience;
  /** Closed answer ids; empty for free-text questions. "dontknow" is always possible in addition. */
  answers: string[];
}

export interface Catalog {
  article: { url: string; locales: Record<string, string> };
  links: Record<string, string>;
  groups: string[];
  questions: Question[];
  symptoms: Symptom[];
}

export const DONT_KNOW = 'dontknow';

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (!cached) {
    cached = JSON.parse(fs.readFileSync(fromRoot('src', 'core', 'knowledge', 'catalog.json'), 'utf8')) as Catalog;
  }
  return cached;
}

export function getSymptom(id: string): Symptom | undefined {
  return loadCatalog().symptoms.find((s) => s.id === id);
}

export function isSymptomId(id: unknown): id is SymptomId {
  return typeof id === 'string' && getSymptom(id) !== undefined;
}

export function getQuestion(id: string): Question | undefined {
  return loadCatalog().questions.find((q) => q.id === id);
}

/** The official article in the user's language, at the symptom's anchor. */
export function articleUrl(locale: string, symptom?: Symptom): string {
  const { url, locales } = loadCatalog().article;
  const base = url.replace('{locale}', locales[locale] ?? locales.en ?? 'en-us');
  return symptom ? `${base}#${symptom.anchor}` : base;
}

/** Every knowledge key the catalog requires in every locale (namespace "knowledge"). */
export function requiredKnowledgeKeys(catalog: Catalog = loadCatalog()): string[] {
  const keys: string[] = ['article'];
  for (const g of catalog.groups) keys.push(`groups.${g}`);
  for (const l of Object.keys(catalog.links)) keys.push(`links.${l}`);
  for (const s of catalog.symptoms) {
    keys.push(`symptoms.${s.id}.title`, `symptoms.${s.id}.seen`);
    for (const c of s.causes) {
      const base = `causes.${s.id}.${c.id}`;
      keys.push(`${base}.title`, `${base}.explanation`);
      for (const st of c.steps) keys.push(`${base}.steps.${st}`);
      for (const n of c.notes) keys.push(`${base}.notes.${n}`);
      for (const w of c.warnings) keys.push(`${base}.warnings.${w}`);
    }
  }
  for (const q of catalog.questions) {
    keys.push(`questions.${q.id}.prompt`);
    for (const a of [...q.answers, DONT_KNOW]) keys.push(`questions.${q.id}.answers.${a}`);
  }
  return keys;
}
