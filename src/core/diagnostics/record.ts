import {
  Cause,
  causeKind,
  CauseKind,
  DONT_KNOW,
  getSymptom,
  loadCatalog,
  Question,
  QuestionId,
  Symptom,
  SymptomId,
} from '../knowledge/catalog';
import { Entities } from '../nlu/entities';
import { deviceOwnerIn } from '../nlu/deviceOwner';
import type { EvidenceSet } from './evidence';

/** Who is asking: an employee with a device problem, or a helpdesk agent working a case. */
export type Role = 'user' | 'agent';

/**
 * Where an answer came from. 'message', 'question' and 'conversation' are the person's own answers; 'inferred' (and
 * 'symptom', its name in records saved by earlier versions) is a fact the bot derived without asking.
 */
export type AnswerSource = 'message' | 'question' | 'symptom' | 'conversation' | 'inferred';

/** True when nobody was asked: the bot derived the fact (shown as such on the ticket). */
export const isInferred = (a: Answer | undefined): boolean => a?.source === 'inferred' || a?.source === 'symptom';

export interface Answer {
  /** A closed answer id, "dontknow", or the user's free text. */
  value: string;
  source: AnswerSource;
  /** What the user actually typed, when it was free text. */
  raw?: string;
  at: string;
}

/** "refused": the user would not do the step (it was not tried). */
export type CauseOutcome = 'fixed' | 'not-fixed' | 'escalated' | 'pending' | 'refused';

export interface CauseAttempt {
  symptom: SymptomId;
  cause: string;
  outcome: CauseOutcome;
  at: string;
  /** When the user first said this fix worked, before saying it did not after all. */
  reportedFixedAt?: string;
  /** Done before the bot was asked (the first message said so, and that it still fails): never shown as a card. */
  before?: boolean;
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
  /** The first message said the fix was already done and still fails ("ya borré uno y sigue igual"): its words. */
  triedBefore?: string;
  rating?: number;
  closedAt?: string;
  /** The helpdesk ticket this case was escalated to. */
  ticketId?: string;
  /** What the tenant showed about the likely causes (GRAPH_EVIDENCE), collected once the symptom is known. */
  evidence?: EvidenceSet;
  /** The tenant-wide incident the employee was told about (a known problem): a ticket of this case joins it. */
  incidentId?: string;
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
  set('error-message', entities.errorText ?? text, 'message');
  // A flow started on a symptom (a button, an agent's flows card or command) named the error it is about: the
  // symptom's own text or code, marked inferred. A symptom with no literal error on screen still asks.
  if (!text && symptom.seenKind === 'error-text') set('error-message', symptom.errorTexts[0] ?? symptom.codes[0], 'inferred');
  set('platform', entities.platform, 'message');
  // Whose device the message says it is answers how it is enrolled: their own (Company Portal), the company's (ADE).
  const owner = text ? deviceOwnerIn(text) : undefined;
  const stated = entities.enrollmentMethod ?? (owner ? (owner === 'own' ? 'company-portal' : 'ade') : undefined);
  set('enrollment-method', stated ?? (symptom.group === 'ade' ? 'ade' : undefined), stated ? 'message' : 'inferred');
  set('users-affected', entities.usersAffected, 'message');
}

/**
 * The prerequisite questions still to ask this person, in the articles' order. An agent gets all eight. An employee
 * only those whose answer changes which causes apply to their symptom or their order; the other facts are inferred
 * (see inference.ts) or asked at escalation time.
 */
export function pendingQuestions(record: DiagnosticRecord): Question[] {
  const open = loadCatalog().questions.filter((q) => !record.answers[q.id]);
  if (record.role === 'agent') return open;
  const deciding = record.symptom ? decidingQuestions(record.symptom) : new Set<QuestionId>();
  return open.filter((q) => q.audience === 'everyone' && deciding.has(q.id));
}

/** The questions whose answer can change the plan of a symptom (and its related symptoms): those a cause depends on. */
export function decidingQuestions(symptomId: SymptomId): Set<QuestionId> {
  const out = new Set<QuestionId>();
  for (const s of planSymptoms(symptomId)) for (const c of s.causes) for (const q of Object.keys(c.when ?? {})) out.add(q as QuestionId);
  return out;
}

export function recordAnswer(record: DiagnosticRecord, q: QuestionId, answer: Omit<Answer, 'at'>, now = new Date()): void {
  record.answers[q] = { ...answer, at: now.toISOString() };
}

/** Whether a cause applies, given the answers: an unknown answer rules nothing out. */
export function applies(cause: Cause, answers: DiagnosticRecord['answers']): boolean {
  return Object.entries(cause.when ?? {}).every(([q, allowed]) => {
    const a = answers[q as QuestionId];
    return !a || a.value === DONT_KNOW || (allowed ?? []).includes(a.value);
  });
}

/** For an employee, within one symptom: what they can fix themselves first, then what needs both, then IT's. */
const EMPLOYEE_ORDER: Record<CauseKind, number> = { 'user-fixable': 0, mixed: 1, 'admin-only': 2 };

export interface PlannedCause {
  symptom: SymptomId;
  cause: string;
}

/**
 * The sequence of (symptom, cause) pairs to try: the symptom's causes, then those of related symptoms. With the
 * record, the plan fits the person and their answers: causes the answers rule out are left out, and an employee sees
 * the causes they can fix before those only IT can (the articles list a symptom's causes in no necessary order).
 * Without it, the articles' order.
 */
export function causePlan(symptomId: SymptomId, record?: Pick<DiagnosticRecord, 'role' | 'answers'>): PlannedCause[] {
  const plan: PlannedCause[] = [];
  for (const s of planSymptoms(symptomId)) {
    let causes = record ? s.causes.filter((c) => applies(c, record.answers)) : s.causes;
    if (record?.role === 'user') {
      causes = causes
        .map((c, i) => ({ c, i }))
        .sort((a, b) => EMPLOYEE_ORDER[causeKind(a.c)] - EMPLOYEE_ORDER[causeKind(b.c)] || a.i - b.i)
        .map((x) => x.c);
    }
    for (const c of causes) plan.push({ symptom: s.id, cause: c.id });
  }
  return plan;
}

/** The symptom, then its related symptoms (depth first, each once). */
function planSymptoms(symptomId: SymptomId): Symptom[] {
  const out: Symptom[] = [];
  const visit = (id: SymptomId): void => {
    const s = getSymptom(id);
    if (!s || out.includes(s)) return;
    out.push(s);
    for (const r of s.related) visit(r);
  };
  visit(symptomId);
  return out;
}

/**
 * The cause the first message says was already done, when it can only be one: the symptom's one cause with steps
 * of the employee's own, first in an employee's plan. Undefined when the message said nothing of the kind, or when
 * the employee has several fixes of their own (which one was done is not known).
 */
export function triedBeforeCause<P extends PlannedCause>(record: DiagnosticRecord, plan: P[]): P | undefined {
  if (!record.triedBefore || !record.symptom) return undefined;
  const symptom = getSymptom(record.symptom);
  const own = (symptom?.causes ?? []).filter((c) => causeKind(c) !== 'admin-only' && applies(c, record.answers));
  const first = plan[0];
  return own.length === 1 && first?.symptom === record.symptom && first.cause === own[0]!.id ? first : undefined;
}

export function recordOutcome(
  record: DiagnosticRecord,
  symptom: SymptomId,
  cause: string,
  outcome: CauseOutcome,
  now = new Date(),
  before = false,
): void {
  const existing = record.attempts.find((a) => a.symptom === symptom && a.cause === cause);
  if (existing) {
    existing.outcome = outcome;
    existing.at = now.toISOString();
  } else record.attempts.push({ symptom, cause, outcome, at: now.toISOString(), ...(before ? { before } : {}) });
}
