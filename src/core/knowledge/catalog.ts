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

/** Who can carry out a step: the employee (on their own device, in the Company Portal) or an administrator. */
export type Actor = 'employee' | 'admin';
/** Who a note, a warning or a link is for: one of the two, or both. */
export type Reader = Actor | 'everyone';

export interface Step {
  id: string;
  by: Actor;
  /** The employee's step once IT has done its part (enroll again): it does not make the cause the employee's. */
  followUp?: boolean;
  /**
   * An employee's step that reads differently for a helpdesk agent, on a card beside the agent's own steps ("remove
   * one of your devices" is "have the user remove…"): its text has an agent wording (`agentSteps.<id>`).
   */
  agentWording?: boolean;
  /** One of several alternatives, the one for this answer (e.g. the MDM authority). */
  when?: Partial<Record<QuestionId, string>>;
}

export interface Aside {
  id: string;
  by: Reader;
}

export interface Cause {
  id: string;
  /** The cause applies only when the answer to that question is one of these (or unknown). */
  when?: Partial<Record<QuestionId, string[]>>;
  steps: Step[];
  notes: Aside[];
  warnings: Aside[];
  links: string[];
}

/**
 * What a cause is for the employee, derived from its steps: every step theirs (user-fixable), every step IT's but the
 * follow-ups (admin-only), or some of each (mixed).
 */
export type CauseKind = 'user-fixable' | 'admin-only' | 'mixed';

export function causeKind(cause: Cause): CauseKind {
  const admin = cause.steps.some((s) => s.by === 'admin');
  const employee = cause.steps.some((s) => s.by === 'employee' && !s.followUp);
  if (!admin) return 'user-fixable';
  return employee ? 'mixed' : 'admin-only';
}

export interface Link {
  url: string;
  by: Reader;
}

export interface Symptom {
  id: SymptomId;
  group: string;
  /** Where the symptom's section lives on the current article; empty: the article's top. */
  anchor: string;
  /** Whether "what you see" is the literal text the device shows, or a description of what happens. */
  seenKind: 'error-text' | 'description';
  /** Where the user sees it, when the symptom itself tells (an answer to "where do you see the error?"). */
  shownIn?: string;
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

/**
 * A point of enrollment where it can stop (signing in to Company Portal, installing the profile, the setup screens of
 * an ADE device), with the symptoms that show there, most likely first. The bot names the stages when it asks what
 * the device shows; naming one back is answered with those symptoms.
 */
export interface Stage {
  id: string;
  symptoms: SymptomId[];
}

export interface Catalog {
  article: { url: string; locales: Record<string, string> };
  links: Record<string, Link>;
  groups: string[];
  questions: Question[];
  stages: Stage[];
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

/** The official article in the user's language, at the symptom's section (or its top, where it has none). */
export function articleUrl(locale: string, symptom?: Symptom): string {
  const { url, locales } = loadCatalog().article;
  const base = url.replace('{locale}', locales[locale] ?? locales.en ?? 'en-us');
  return symptom?.anchor ? `${base}#${symptom.anchor}` : base;
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
      // What the employee is told when IT has to act: the problem in their terms, and what IT will do.
      if (causeKind(c) !== 'user-fixable') keys.push(`${base}.problem`, `${base}.itDoes`);
      for (const st of c.steps) keys.push(`${base}.steps.${st.id}`);
      for (const st of c.steps.filter((x) => x.agentWording)) keys.push(`${base}.agentSteps.${st.id}`);
      for (const n of c.notes) keys.push(`${base}.notes.${n.id}`);
      for (const w of c.warnings) keys.push(`${base}.warnings.${w.id}`);
    }
  }
  for (const q of catalog.questions) {
    keys.push(`questions.${q.id}.prompt`);
    for (const a of [...q.answers, DONT_KNOW]) keys.push(`questions.${q.id}.answers.${a}`);
  }
  return keys;
}

/** The knowledge key of a step's text for its reader: an agent reads the agent wording where the step has one. */
export function stepTextKey(symptom: string, cause: string, step: Step, agent: boolean): string {
  return `causes.${symptom}.${cause}.${agent && step.agentWording ? 'agentSteps' : 'steps'}.${step.id}`;
}
