import { DONT_KNOW, getSymptom, loadCatalog, QuestionId } from '../knowledge/catalog';
import { Answer, DiagnosticRecord } from './record';

/**
 * The prerequisite facts an employee is not asked (their answer would not change the fix), derived from what they
 * reported, so that every ticket still carries all eight. Each inferred answer is marked as such ('inferred'), so the
 * helpdesk can tell it from what the person said.
 */
export function inferAnswers(record: DiagnosticRecord, now = new Date()): void {
  const at = now.toISOString();
  const infer = (q: QuestionId, value: string | undefined): void => {
    if (value && !record.answers[q]) record.answers[q] = { value, source: 'inferred', at } satisfies Answer;
  };
  // The bot covers iPhone/iPad (iOS/iPadOS) enrollment only, whatever the symptom, or none yet.
  infer('platform', 'ios');
  const symptom = record.symptom ? getSymptom(record.symptom) : undefined;
  if (!symptom) return;
  // The error the symptom is named after, when the device shows a literal text or code.
  if (symptom.seenKind === 'error-text') infer('error-message', symptom.errorTexts[0] ?? symptom.codes[0]);
  infer('error-location', symptom.shownIn);
  if (symptom.group === 'ade') infer('enrollment-method', 'ade');
}

/**
 * Before a ticket: whatever can be inferred, and every fact still unknown as "I don't know" (inferred, not asked),
 * so the ticket carries all eight. A cause shown and left without an answer went to the helpdesk with the case.
 */
export function completeForTicket(record: DiagnosticRecord, now = new Date()): void {
  inferAnswers(record, now);
  const at = now.toISOString();
  for (const q of loadCatalog().questions) record.answers[q.id] ??= { value: DONT_KNOW, source: 'inferred', at };
  for (const a of record.attempts) if (a.outcome === 'pending') a.outcome = 'escalated';
}
