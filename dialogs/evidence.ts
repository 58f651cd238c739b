import { TurnContext } from 'botbuilder';
import { agentEvidenceLine } from '../cards/evidence';
import {
  CheckId,
  checksForPlan,
  confirmedLead,
  EvidencedCause,
  orderByEvidence,
  serialWouldChange,
  withResult,
} from '../src/core/diagnostics/evidence';
import { causePlan, DiagnosticRecord, Role } from '../src/core/diagnostics/record';
import { tenantIdOf } from './teamsActivity';
import { ActiveIncident, incidentsIn } from '../src/core/escalation/incidents';
import { BotServices, t } from './turn';

/**
 * The conversation's seam to evidence from the tenant (GRAPH_EVIDENCE): collected once when the symptom is known
 * and stored on the record (so it travels to the ticket), then used where the dialogs compute the cause plan.
 * With no evidence source, nothing here changes what anybody sees.
 */

const TENANT_WIDE: CheckId[] = ['apns-certificate', 'ade-token'];

/**
 * Checks the likely causes of the record's symptom for the person asking, once per case. Never throws. Returns what
 * the employee should hear first, if anything: that an expired credential behind their symptom is a known problem.
 */
export async function collectEvidence(context: TurnContext, services: BotServices, record: DiagnosticRecord): Promise<string | undefined> {
  if (!services.evidence || !record.symptom || record.evidence) return undefined;
  const aadObjectId = context.activity.from?.aadObjectId;
  const tenantId = tenantIdOf(context.activity);
  if (!aadObjectId) return undefined;
  // An agent running a flow is not the employee with the problem: only the tenant-wide checks say something then.
  const checks = checksForPlan(record.symptom, causePlan(record.symptom)).filter((c) => record.role !== 'agent' || TENANT_WIDE.includes(c));
  if (checks.length === 0) return undefined;
  try {
    record.evidence = await services.evidence.collect({
      symptom: record.symptom,
      record,
      user: { aadObjectId, ...(tenantId ? { tenantId } : {}) },
      checks,
    });
  } catch (err) {
    services.log?.('warn', 'evidence could not be collected', { error: (err as Error).message });
    return undefined;
  }
  const known = (await reportIncidents(services, record, tenantId ?? '')).find((i) => i.stage === 'expired');
  if (!known || record.role !== 'user') return undefined;
  // The employee's ticket, if they ask for one, joins the incident.
  record.incidentId = known.id;
  return t(context)('incident.known');
}

/**
 * Tenant-wide incidents the evidence shows (a certificate or token expiring within 30 days, or expired): recorded
 * and announced to the helpdesk once across instances. A storage failure costs the announcement (the next turn or
 * the sweep makes it), never the turn.
 */
async function reportIncidents(services: BotServices, record: DiagnosticRecord, tenantId: string): Promise<ActiveIncident[]> {
  const checks = record.evidence?.checks ?? [];
  if (!services.incidents) return incidentsIn(checks, tenantId, new Date());
  try {
    return await services.incidents.report(checks, tenantId);
  } catch (err) {
    services.log?.('warn', 'incident could not be recorded', { error: (err as Error).message });
    return incidentsIn(checks, tenantId, new Date());
  }
}

const tenantOf = (context: TurnContext): string | undefined =>
  (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? context.activity.conversation?.tenantId;

/** Whether to ask the employee for the device's serial number: only when the answer would change what they see. */
export function askSerial(services: BotServices, record: DiagnosticRecord): boolean {
  return (
    !!services.evidence &&
    record.role === 'user' &&
    !!record.symptom &&
    serialWouldChange(causePlan(record.symptom, record), record.evidence)
  );
}

/** Checks the device the employee named by its serial number, adding the result to the record's evidence. Never throws. */
export async function checkSerial(context: TurnContext, services: BotServices, record: DiagnosticRecord, serial: string): Promise<void> {
  const aadObjectId = context.activity.from?.aadObjectId;
  if (!services.evidence || !record.symptom || !record.evidence || !aadObjectId) return;
  const tenantId = tenantOf(context);
  try {
    const found = await services.evidence.collect({
      symptom: record.symptom,
      record,
      user: { aadObjectId, ...(tenantId ? { tenantId } : {}) },
      checks: ['device-serial'],
      serial,
    });
    const result = found.checks.find((c) => c.check === 'device-serial');
    if (result) record.evidence = withResult(record.evidence, result);
  } catch (err) {
    services.log?.('warn', 'serial number could not be checked', { error: (err as Error).message });
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
  if (evidence.check === 'device-serial') {
    await context.sendActivity(tr('evidence.previousUserFix'));
    return undefined;
  }
  return evidence.check;
}
