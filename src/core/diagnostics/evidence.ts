import { QuestionId, SymptomId } from '../knowledge/catalog';
import type { DiagnosticRecord } from './record';

/**
 * Evidence from the tenant: what a check of a likely cause found (in Microsoft Graph or any other source), so the
 * cause plan starts with what is confirmed and ends with what is ruled out, and fewer questions are asked.
 * No botbuilder and no Graph here: sources implement EvidenceSource; this module only interprets their results.
 */

/** What a check says about its cause. */
export type EvidenceStatus = 'confirmed' | 'ruled-out' | 'unknown';

/** Why a check could not tell. */
export type UnknownReason = 'no-permission' | 'error' | 'timeout' | 'throttled' | 'not-available' | 'inconclusive';

/** The checks a source can run. */
export type CheckId = 'license' | 'device-limit' | 'apns-certificate' | 'personal-devices' | 'ade-token' | 'device-serial';

/** Checks that need something only the employee can give (the device's serial number): run when they give it. */
export const INPUT_CHECKS: CheckId[] = ['device-serial'];

/** A fact a check saw, language-neutral (the ticket and the agent's view render it). */
export type SeenValue = string | number | boolean | null;

export interface CheckResult {
  check: CheckId;
  status: EvidenceStatus;
  /** With status unknown: why. */
  reason?: UnknownReason;
  /** With reason no-permission: the permission the source lacks (for the log and the ticket, never the employee). */
  permission?: string;
  /** What the check saw, e.g. { devices: 15, limit: 15 }. */
  seen: Record<string, SeenValue>;
  /** When the source observed it (a cached result keeps its original time). */
  at: string;
}

/** Everything a source found for one case, stored on the diagnostic record (record.evidence). */
export interface EvidenceSet {
  /** When the evidence was collected for this case. */
  collectedAt: string;
  /** The source that produced it, e.g. "graph". */
  source: string;
  checks: CheckResult[];
  /** Prerequisite facts the source answered. */
  facts: EvidenceFacts;
}

export interface EvidenceFacts {
  /** The tenant's MDM authority, as the prerequisite question's answer id. */
  mdmAuthority?: 'intune' | 'configmgr' | 'm365';
  /** Devices enrolled in Intune for this user. */
  enrolledDevices?: number;
}

/** Who is asking, as the source needs it. */
export interface EvidenceUser {
  aadObjectId: string;
  tenantId?: string;
}

export interface EvidenceRequest {
  symptom: SymptomId;
  record: DiagnosticRecord;
  user: EvidenceUser;
  checks: CheckId[];
  /** The device's serial number, for the device-serial check (validated: readSerialNumber). */
  serial?: string;
}

/** Something that can check causes, e.g. Microsoft Graph. Never throws: a failed check is an unknown result. */
export interface EvidenceSource {
  readonly name: string;
  collect(request: EvidenceRequest): Promise<EvidenceSet>;
  /** The tenant-wide checks alone (the Apple MDM push certificate, the ADE tokens), for the incident sweep. */
  tenantChecks?(tenantId: string): Promise<CheckResult[]>;
}

/** Who can fix a cause a check confirms: only IT (an administrator), or the employee on their own. */
export type FixedBy = 'admin' | 'employee';

/** The catalog causes each check speaks for (symptom/cause), and who can fix them. */
const CAUSE_CHECKS: Record<string, CheckId> = {
  'license-type-invalid/no-valid-license': 'license',
  'user-name-not-recognized/no-valid-license': 'license',
  'server-connection-failed/no-license': 'license',
  'device-cap-reached/too-many-devices': 'device-limit',
  'service-not-supported/apns-missing-or-invalid': 'apns-certificate',
  'noenrollmentpolicy/apns-certificate': 'apns-certificate',
  'accountnotonboarded/apns-problem': 'apns-certificate',
  'server-connection-failed/corporate-only': 'personal-devices',
  'server-connection-failed/previous-user': 'device-serial',
};

/** Checks that speak for no single catalog cause but describe the symptom's group (shown to agents and on tickets). */
const SYMPTOM_CHECKS: Partial<Record<SymptomId, CheckId[]>> = {
  'ade-enrollment-doesnt-start': ['ade-token'],
  'ade-stuck-at-login': ['ade-token'],
  'xpc-connection-invalid': ['ade-token'],
};

export const FIXED_BY: Record<CheckId, FixedBy> = {
  license: 'admin',
  // The employee can remove devices they no longer use on the Company Portal website.
  'device-limit': 'employee',
  'apns-certificate': 'admin',
  'personal-devices': 'admin',
  'ade-token': 'admin',
  // The previous user's record is left behind: the employee re-enrolls from the Company Portal website.
  'device-serial': 'employee',
};

export function checkForCause(symptom: string, cause: string): CheckId | undefined {
  return CAUSE_CHECKS[`${symptom}/${cause}`];
}

/**
 * The checks worth running for a plan (its causes' checks, then the symptom's own), each once; those that need the
 * employee's input (INPUT_CHECKS) are left out: serialWouldChange says when to ask for it.
 */
export function checksForPlan(symptom: SymptomId, plan: { symptom: string; cause: string }[]): CheckId[] {
  const out = new Set<CheckId>();
  for (const p of plan) {
    const c = checkForCause(p.symptom, p.cause);
    if (c && !INPUT_CHECKS.includes(c)) out.add(c);
  }
  for (const c of SYMPTOM_CHECKS[symptom] ?? []) out.add(c);
  return [...out];
}

export interface PlannedCause {
  symptom: SymptomId;
  cause: string;
}

export type EvidencedCause<T extends PlannedCause = PlannedCause> = T & { evidence?: CheckResult };

/**
 * The cause plan ordered by evidence: confirmed causes first, then those without a verdict (in the plan's order),
 * ruled-out causes last (still shown, and said so: the check may be wrong, the employee decides). Pure; the same
 * plan and evidence always give the same order, so a dialog can recompute it on every turn.
 */
export function orderByEvidence<T extends PlannedCause>(plan: T[], evidence: EvidenceSet | undefined): EvidencedCause<T>[] {
  if (!evidence) return plan.map((p) => ({ ...p }));
  const annotated = plan.map((p) => {
    const check = checkForCause(p.symptom, p.cause);
    const result = check ? evidence.checks.find((r) => r.check === check) : undefined;
    return result ? { ...p, evidence: result } : { ...p };
  });
  const rank = (p: EvidencedCause<T>): number => (p.evidence?.status === 'confirmed' ? 0 : p.evidence?.status === 'ruled-out' ? 2 : 1);
  return annotated
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => p);
}

/** The first cause of an ordered plan when evidence confirms it, with who can fix it. */
export function confirmedLead<T extends PlannedCause>(
  ordered: EvidencedCause<T>[],
): { cause: EvidencedCause<T>; fixedBy: FixedBy } | undefined {
  const first = ordered[0];
  if (first?.evidence?.status !== 'confirmed') return undefined;
  return { cause: first, fixedBy: FIXED_BY[first.evidence.check] };
}

/**
 * Whether the device's serial number would change what the employee sees: the plan has a cause the serial check
 * speaks for, the evidence so far confirms no other cause first (that one would be shown whatever the serial
 * says), and the serial was not checked yet.
 */
export function serialWouldChange<T extends PlannedCause>(plan: T[], evidence: EvidenceSet | undefined): boolean {
  if (!evidence || evidence.checks.some((c) => c.check === 'device-serial')) return false;
  if (!plan.some((p) => checkForCause(p.symptom, p.cause) === 'device-serial')) return false;
  return !confirmedLead(orderByEvidence(plan, evidence));
}

/** The evidence with one more result (replacing an earlier result of the same check). */
export function withResult(evidence: EvidenceSet, result: CheckResult): EvidenceSet {
  return { ...evidence, checks: [...evidence.checks.filter((c) => c.check !== result.check), result] };
}

/** Prerequisite answers the evidence gives (question id → answer id), for questions not to ask again. */
export function evidenceAnswers(evidence: EvidenceSet | undefined): Partial<Record<QuestionId, string>> {
  const out: Partial<Record<QuestionId, string>> = {};
  if (evidence?.facts.mdmAuthority) out['mdm-authority'] = evidence.facts.mdmAuthority;
  return out;
}

/** Checks that could not run for lack of a permission: the ticket notes them, the employee never hears of them. */
export function missingPermissions(evidence: EvidenceSet | undefined): string[] {
  return [...new Set((evidence?.checks ?? []).filter((c) => c.reason === 'no-permission' && c.permission).map((c) => c.permission!))];
}

export const unknownResult = (check: CheckId, reason: UnknownReason, now: Date, extra: Partial<CheckResult> = {}): CheckResult => ({
  check,
  status: 'unknown',
  reason,
  seen: {},
  at: now.toISOString(),
  ...extra,
});

/**
 * Runs checks side by side within one time budget: a check still running when the budget is spent is an unknown
 * result (timeout) and the caller goes on without it. A check that throws is an unknown result (error).
 */
export async function runWithinBudget(
  checks: CheckId[],
  run: (check: CheckId) => Promise<CheckResult>,
  budgetMs: number,
  now: () => Date = () => new Date(),
): Promise<CheckResult[]> {
  const results = new Map<CheckId, CheckResult>();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, budgetMs);
    timer.unref?.();
  });
  const all = Promise.all(
    checks.map(async (c) => {
      try {
        results.set(c, await run(c));
      } catch {
        results.set(c, unknownResult(c, 'error', now()));
      }
    }),
  );
  await Promise.race([all, deadline]);
  if (timer) clearTimeout(timer);
  return checks.map((c) => results.get(c) ?? unknownResult(c, 'timeout', now()));
}
