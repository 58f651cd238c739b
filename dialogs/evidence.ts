import { TurnContext } from 'botbuilder';
import { agentEvidenceLine } from '../cards/evidence';
import { CheckId, checksForPlan, confirmedLead, EvidencedCause, orderByEvidence } from '../src/core/diagnostics/evidence';
import { causePlan, DiagnosticRecord, Role } from '../src/core/diagnostics/record';
import { tenantIdOf } from './teamsActivity';
import { BotServices, t } from './turn';

/**
 * The conversation's seam to evidence from the tenant (GRAPH_EVIDENCE): collected once when the symptom is known
 * and stored on the record (so it travels to the ticket), then used where the dialogs compute the cause plan.
 * With no evidence source, nothing here changes what anybody sees.
 */

const TENANT_WIDE: CheckId[] = ['apns-certificate', 'ade-token'];

/** Checks the likely causes of the record's symptom for the person asking, once per case. Never throws. */
export async function collectEvidence(context: TurnContext, services: BotServices, record: DiagnosticRecord): Promise<void> {
  if (!services.evidence || !record.symptom || record.evidence) return;
  const aadObjectId = context.activity.from?.aadObjectId;
  const tenantId = tenantIdOf(context.activity);
  if (!aadObjectId) return;
  // An agent running a flow is not the employee with the problem: only the tenant-wide checks say something then.
  const checks = checksForPlan(record.symptom, causePlan(record.symptom)).filter((c) => record.role !== 'agent' || TENANT_WIDE.includes(c));
  if (checks.length === 0) return;
  try {
    record.evidence = await services.evidence.collect({
      symptom: record.symptom,
      record,
      user: { aadObjectId, ...(tenantId ? { tenantId } : {}) },
      checks,
    });
  } catch (err) {
    services.log?.('warn', 'evidence could not be collected', { error: (err as Error).message });
  }
}

/** The record's cause plan in the order the evidence gives (the plan as it is without evidence). */
export function evidencePlan(record: DiagnosticRecord & { symptom: NonNullable<DiagnosticRecord['symptom']> }): EvidencedCause[] {
  return orderByEvidence(causePlan(record.symptom, record), record.evidence);
}

/** An employee whose first cause is confirmed needs no prerequisite questions: the answer is known. */
export function skipQuestions(record: DiagnosticRecord, role: Role): boolean {
  return role === 'user' && !!record.symptom && !!confirmedLead(evidencePlan({ ...record, symptom: record.symptom }));
}

/**
 * Says what the evidence shows about the cause about to be shown. Returns the check when the cause card should not be
 * shown at all: a confirmed cause only IT can fix, which the escalation then offers plainly to the employee.
 */
export async function presentEvidence(
  context: TurnContext,
  record: DiagnosticRecord,
  current: EvidencedCause,
  position: number,
): Promise<CheckId | undefined> {
  const evidence = current.evidence;
  if (!evidence) return undefined;
  const tr = t(context);
  if (record.role === 'agent') {
    await context.sendActivity(agentEvidenceLine(tr, evidence));
    return undefined;
  }
  if (evidence.status === 'ruled-out') {
    await context.sendActivity(tr('evidence.ruledOut'));
    return undefined;
  }
  if (evidence.status !== 'confirmed' || position !== 1) return undefined;
  if (evidence.check === 'device-limit') {
    await context.sendActivity(tr('evidence.deviceLimitFix', { devices: evidence.seen.devices, limit: evidence.seen.limit }));
    return undefined;
  }
  return evidence.check;
}
