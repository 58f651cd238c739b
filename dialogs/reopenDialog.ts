import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { MAIN_DIALOG } from './ids';
import type { MainDialog, MainOptions } from './mainDialog';
import { evidencePlan } from './evidence';
import { LoopOptions, TROUBLESHOOT_DIALOG, TroubleshootResult } from './troubleshootDialog';
import { BotServices, t } from './turn';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { NONE, SymptomId } from '../src/core/knowledge/catalog';
import { readRatingReply } from '../src/core/replies/ratingReply';
import { readOutOfScope } from '../src/core/replies/understand';

export const REOPEN_DIALOG = 'reopen-case';

export interface ReopenOptions {
  /** The id of the case that was reported fixed (the conversation's current one). */
  record: string;
}

/**
 * "It still fails" after the user said a fix worked: the same case, where it was. The fix is recorded as not having
 * helped, and that it was first reported working; then the next cause, or, after the last one, the offer of a person
 * with everything tried. It ends as a case does (MainDialog's last step).
 */
export class ReopenDialog extends WaterfallDialog<ReopenOptions> {
  constructor(private readonly services: BotServices) {
    super(REOPEN_DIALOG);
    this.addStep(this.reopen.bind(this));
    this.addStep(async (step) =>
      (step.dialogs.find(MAIN_DIALOG) as MainDialog).finish(step as unknown as WaterfallStepContext<MainOptions>),
    );
  }

  private async reopen(step: WaterfallStepContext<ReopenOptions>): Promise<DialogTurnResult> {
    const record = (await this.services.conversationData.get(step.context, {})).record;
    if (!record?.symptom || record.id !== step.options.record) return step.endDialog();
    // Reported fixed on a cause card; or at the offer of a person after the last cause (then no cause is left).
    const fixed = [...record.attempts].reverse().find((a) => a.outcome === 'fixed');
    if (fixed) {
      fixed.reportedFixedAt = fixed.at;
      fixed.outcome = 'not-fixed';
      fixed.at = new Date().toISOString();
    }
    delete record.closedAt;
    delete record.rating;
    await step.context.sendActivity(t(step.context)('outcome.reopened'));
    const plan = evidencePlan({ ...record, symptom: record.symptom });
    const index = fixed ? plan.findIndex((c) => c.symptom === fixed.symptom && c.cause === fixed.cause) + 1 : 0;
    if (index > 0 && index < plan.length) return step.beginDialog(TROUBLESHOOT_DIALOG, { index } satisfies LoopOptions);
    return step.next({ outcome: 'exhausted' } satisfies TroubleshootResult);
  }
}

/** Whether a case can be reopened: it was reported fixed, and it went to nobody. */
const reopenable = (record: DiagnosticRecord | undefined): record is DiagnosticRecord & { symptom: SymptomId } =>
  !!record?.symptom && !!record.closedAt && !record.ticketId;

/**
 * Whether the message takes back the fix of the conversation's current case ("actually it still fails"): it says
 * it still fails, and names no other problem, nor something the bot does not cover ("my printer still fails").
 */
export function takesBackFix(services: BotServices, record: DiagnosticRecord | undefined, text: string, locale: string): boolean {
  if (!reopenable(record) || readRatingReply(text, locale)?.kind !== 'still-failing' || readOutOfScope(text, locale)) return false;
  const r = services.recognizer.recognize(text, locale);
  return r.intent === NONE || r.ambiguous || r.intent === record.symptom;
}
