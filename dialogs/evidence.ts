import { TurnContext } from 'botbuilder';
import { offerPersonCard } from '../cards';
import { agentEvidenceLine } from '../cards/evidence';
import { CheckId, checksForPlan, confirmedLead, EvidencedCause, orderByEvidence } from '../src/core/diagnostics/evidence';
import { causePlan, DiagnosticRecord, Role } from '../src/core/diagnostics/record';
import { BotServices, cardActivity, t } from './turn';

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
  const tenantId =
    (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? context.activity.conversation?.tenantId;
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
  return orderByEvidence(causePlan(record.symptom), record.evidence);
}

/** An employee whose first cause is confirmed needs no prerequisite questions: the answer is known. */
export function skipQuestions(record: DiagnosticRecord, role: Role): boolean {
  return role === 'user' && !!record.symptom && !!confirmedLead(evidencePlan({ ...record, symptom: record.symptom }));
}

/**
 * Says what the evidence shows about the cause about to be shown. Returns true when it replaced the cause card: a
 * confirmed cause only IT can fix is said plainly to the employee, with the handoff on the same card.
 */
export async function presentEvidence(
  context: TurnContext,
  record: DiagnosticRecord,
  current: EvidencedCause,
  position: number,
): Promise<boolean> {
  const evidence = current.evidence;
  if (!evidence) return false;
  const tr = t(context);
  if (record.role === 'agent') {
    await context.sendActivity(agentEvidenceLine(tr, evidence));
    return false;
  }
  if (evidence.status === 'ruled-out') {
    await context.sendActivity(tr('evidence.ruledOut'));
    return false;
  }
  if (evidence.status !== 'confirmed' || position !== 1) return false;
  if (evidence.check === 'device-limit') {
    await context.sendActivity(tr('evidence.deviceLimitFix', { devices: evidence.seen.devices, limit: evidence.seen.limit }));
    return false;
  }
  const k = `evidence.employee.${evidence.check}`;
  await context.sendActivity(cardActivity(offerPersonCard(tr, record.id, tr(`${k}.title`), tr(`${k}.body`), tr('evidence.send'))));
  return true;
}
