import { DONT_KNOW, getSymptom, loadCatalog, Question, QuestionId, Symptom, SymptomId } from '../knowledge/catalog';
import { Entities } from '../nlu/entities';
import type { EvidenceSet } from './evidence';

/** Who is asking: an employee with a device problem, or a helpdesk agent working a case. */
export type Role = 'user' | 'agent';

export type AnswerSource = 'message' | 'question' | 'symptom' | 'conversation';

export interface Answer {
  /** A closed answer id, "dontknow", or the user's free text. */
  value: string;
  source: AnswerSource;
  /** What the user actually typed, when it was free text. */
  raw?: string;
  at: string;
}

export type CauseOutcome = 'fixed' | 'not-fixed' | 'escalated' | 'pending';

export interface CauseAttempt {
  symptom: SymptomId;
  cause: string;
  outcome: CauseOutcome;
  at: string;
}

/**
 * The diagnostic record of one troubleshooting conversation: what the user reported, the prerequisite answers,
 * every cause shown and its outcome. It travels with an escalation so nobody asks the user twice.
 */
export interface DiagnosticRecord {
  id: string;
  role: Role;
  locale: string;
  startedAt: string;
  /** The user's first description, verbatim. */
  description?: string;
  symptom?: SymptomId;
  answers: Partial<Record<QuestionId, Answer>>;
  attempts: CauseAttempt[];
  personRequested?: { at: string; reason: 'asked' | 'all-causes-tried' | 'not-understood' };
  rating?: number;
  closedAt?: string;
  /** The helpdesk ticket this case was escalated to. */
  ticketId?: string;
  /** What the tenant showed about the likely causes (GRAPH_EVIDENCE), collected once the symptom is known. */
  evidence?: EvidenceSet;
}

export function newRecord(role: Role, locale: string, now = new Date()): DiagnosticRecord {
  return {
    id: `${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    role,
    locale,
    startedAt: now.toISOString(),
    answers: {},
    attempts: [],
  };
}

/** Facts the first message already gives (entities, the recognized error, the symptom's nature) as answers. */
export function prefill(record: DiagnosticRecord, symptom: Symptom, entities: Entities, text: string | undefined, now = new Date()): void {
  const at = now.toISOString();
  const set = (q: QuestionId, value: string | undefined, source: AnswerSource, raw?: string): void => {
    if (value && !record.answers[q]) record.answers[q] = raw === undefined ? { value, source, at } : { value, source, raw, at };
  };
  record.symptom = symptom.id;
  if (text && !record.description) record.description = text;
  // The exact error is known only from what the person wrote; a flow started from a button or an agent command
  // still asks for it.
  set('error-message', entities.errorText ?? text, 'message');
  set('platform', entities.platform, 'message');
  set(
    'enrollment-method',
    entities.enrollmentMethod ?? (symptom.group === 'ade' ? 'ade' : undefined),
    entities.enrollmentMethod ? 'message' : 'symptom',
  );
  set('users-affected', entities.usersAffected, 'message');
}

/** The prerequisite questions still to ask this person, in the articles' order. */
export function pendingQuestions(record: DiagnosticRecord): Question[] {
  return loadCatalog().questions.filter((q) => !record.answers[q.id] && (q.audience === 'everyone' || record.role === 'agent'));
}

export function recordAnswer(record: DiagnosticRecord, q: QuestionId, answer: Omit<Answer, 'at'>, now = new Date()): void {
  record.answers[q] = { ...answer, at: now.toISOString() };
}

export const isDontKnow = (a: Answer | undefined): boolean => a?.value === DONT_KNOW;

/** The sequence of (symptom, cause) pairs to try: the symptom's causes in order, then those of related symptoms. */
export function causePlan(symptomId: SymptomId): { symptom: SymptomId; cause: string }[] {
  const plan: { symptom: SymptomId; cause: string }[] = [];
  const visit = (id: SymptomId, seen: Set<string>): void => {
    const s = getSymptom(id);
    if (!s || seen.has(id)) return;
    seen.add(id);
    for (const c of s.causes) plan.push({ symptom: s.id, cause: c.id });
    for (const r of s.related) visit(r, seen);
  };
  visit(symptomId, new Set());
  return plan;
}

export function recordOutcome(record: DiagnosticRecord, symptom: SymptomId, cause: string, outcome: CauseOutcome, now = new Date()): void {
  const existing = record.attempts.find((a) => a.symptom === symptom && a.cause === cause);
  if (existing) {
    existing.outcome = outcome;
    existing.at = now.toISOString();
  } else record.attempts.push({ symptom, cause, outcome, at: now.toISOString() });
}
