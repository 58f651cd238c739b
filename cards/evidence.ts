/**
 * How evidence from the tenant reads: one line per check for agents and the ticket card, the plain sentences an
 * employee hears. Text only (no botbuilder); the dialogs and the ticket card use it.
 */
import { CheckResult, EvidenceSet, SeenValue } from '../src/core/diagnostics/evidence';
import { Translate } from '../src/core/knowledge/locales';

const utc = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

const value = (v: SeenValue): string => {
  if (v === null) return '–';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return utc(v);
  return String(v);
};

/** What the check saw and when, e.g. "devices: 15 · limit: 15 · checked 2026-01-01 10:00 UTC". */
export function evidenceDetails(t: Translate, result: CheckResult): string {
  const seen = Object.entries(result.seen).map(([k, v]) => `${k}: ${value(v)}`);
  const reason = result.reason ? [t(`evidence.reason.${result.reason}`, { permission: result.permission ?? '' })] : [];
  return [...reason, ...seen, t('evidence.checkedAt', { time: result.at.replace('T', ' ').slice(0, 16) })].join(' · ');
}

/** The line an agent sees beside a cause. */
export function agentEvidenceLine(t: Translate, result: CheckResult): string {
  return t('evidence.agent', { status: t(`evidence.status.${result.status}`), details: evidenceDetails(t, result) });
}

/** One fact of the ticket card per check, then the prerequisite facts found: the agent doesn't have to check again. */
export function evidenceFacts(t: Translate, evidence: EvidenceSet | undefined): { title: string; value: string }[] {
  if (!evidence) return [];
  const facts = evidence.checks.map((c) => ({
    title: t('evidence.ticketLabel', { check: t(`evidence.check.${c.check}`) }),
    value: `${t(`evidence.status.${c.status}`)} · ${evidenceDetails(t, c)}`,
  }));
  const { mdmAuthority, enrolledDevices } = evidence.facts;
  if (mdmAuthority)
    facts.push({ title: t('evidence.facts.mdmAuthority'), value: t(`knowledge:questions.mdm-authority.answers.${mdmAuthority}`) });
  if (enrolledDevices !== undefined) facts.push({ title: t('evidence.facts.enrolledDevices'), value: String(enrolledDevices) });
  return facts;
}
