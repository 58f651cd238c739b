import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import type { CheckId } from '../src/core/diagnostics/evidence';
import { inferAnswers } from '../src/core/diagnostics/inference';
import { DiagnosticRecord, recordOutcome, triedBeforeCause } from '../src/core/diagnostics/record';
import { CAUSE_DIALOG, CauseOptions, CauseResult } from './causeDialog';
import { BotServices, scratch, t } from './turn';
import { evidencePlan, presentEvidence } from './evidence';

export const TROUBLESHOOT_DIALOG = 'troubleshoot-loop';

/** Where the loop starts: the index of a cause in the case's plan (0 for the first). */
export interface LoopOptions {
  index: number;
}

interface Scratch {
  index: number;
}

/**
 * How the troubleshooting of a case ended: fixed; the user asked for a person; every known fix failed
 * ("exhausted"); or it stayed unclear whether the fix worked.
 */
/** How the causes ended; "evidence": the tenant confirmed a cause only IT can fix (check names it), offered to IT. */
export type TroubleshootResult = {
  outcome: 'fixed' | 'person' | 'handoff' | 'exhausted' | 'unclear' | 'evidence' | 'left' | 'new-problem' | 'refused';
  check?: CheckId;
  /** For "new-problem": what the user typed, to be read as a new description. */
  text?: string;
};

/**
 * The causes to try, one at a time (CauseDialog): the symptom's own, then those of related symptoms. "Didn't help"
 * moves to the next one; on the last, the loop ends as exhausted without promising another. Every cause shown and
 * its outcome goes into the diagnostic record.
 */
export class TroubleshootDialog extends WaterfallDialog<LoopOptions> {
  constructor(private readonly services: BotServices) {
    super(TROUBLESHOOT_DIALOG);
    this.addStep(this.show.bind(this));
    this.addStep(this.react.bind(this));
  }

  private async record(step: WaterfallStepContext<LoopOptions>): Promise<DiagnosticRecord | undefined> {
    return (await this.services.conversationData.get(step.context, {})).record;
  }

  private async show(step: WaterfallStepContext<LoopOptions>): Promise<DialogTurnResult> {
    const record = await this.record(step);
    if (!record?.symptom) return step.endDialog({ outcome: 'exhausted' } satisfies TroubleshootResult);
    inferAnswers(record);
    const plan = evidencePlan({ ...record, symptom: record.symptom });
    const tr = t(step.context);
    let index = step.options?.index ?? 0;
    // "Ya borré uno y sigue igual" in the first message: the fix they did is on the record, not shown again.
    const done = index === 0 ? triedBeforeCause(record, plan) : undefined;
    let already: string | undefined;
    if (done) {
      recordOutcome(record, done.symptom, done.cause, 'not-fixed', new Date(), true);
      already = tr('cause.triedBefore', { title: tr(`knowledge:causes.${done.symptom}.${done.cause}.title`) });
      index = 1;
    }
    const current = plan[index];
    if (!current) {
      if (already) await step.context.sendActivity(already);
      return step.endDialog({ outcome: 'exhausted' } satisfies TroubleshootResult);
    }
    scratch<Scratch>(step).index = index;
    const previous = plan[index - 1];
    const next = previous
      ? previous.symptom !== current.symptom
        ? tr('cause.relatedSymptom', { title: tr(`knowledge:symptoms.${current.symptom}.title`) })
        : tr('cause.nextCause')
      : undefined;
    const lead = [already, next].filter(Boolean).join('\n\n') || undefined;
    recordOutcome(record, current.symptom, current.cause, 'pending');
    // What the tenant's evidence says about this cause; a confirmed cause only IT can fix is offered to IT at once.
    const offer = await presentEvidence(step.context, record, current, index + 1);
    if (offer) return step.endDialog({ outcome: 'evidence', check: offer } satisfies TroubleshootResult);
    return step.beginDialog(CAUSE_DIALOG, {
      symptom: current.symptom,
      cause: current.cause,
      position: index + 1,
      total: plan.length,
      record: record.id,
      ...(lead ? { lead } : {}),
    } satisfies CauseOptions);
  }

  private async react(step: WaterfallStepContext<LoopOptions>): Promise<DialogTurnResult> {
    const record = await this.record(step);
    const result = step.result as CauseResult;
    const index = scratch<Scratch>(step).index ?? 0;
    const plan = record?.symptom ? evidencePlan({ ...record, symptom: record.symptom }) : [];
    const current = plan[index];
    if (!record || !current) return step.endDialog({ outcome: 'exhausted' } satisfies TroubleshootResult);
    if (typeof result === 'object') return step.endDialog({ outcome: 'new-problem', text: result.newProblem } satisfies TroubleshootResult);
    switch (result) {
      case 'fixed':
        recordOutcome(record, current.symptom, current.cause, 'fixed');
        record.closedAt = new Date().toISOString();
        this.services.events?.outcome('fixed');
        return step.endDialog({ outcome: 'fixed' } satisfies TroubleshootResult);
      case 'person':
      case 'handoff':
        recordOutcome(record, current.symptom, current.cause, 'escalated');
        return step.endDialog({ outcome: result } satisfies TroubleshootResult);
      case 'unclear':
      case 'left':
        return step.endDialog({ outcome: result } satisfies TroubleshootResult);
      case 'refused':
        // The step the user would not do: another possible cause, or, with none left, the only fix refused.
        recordOutcome(record, current.symptom, current.cause, 'refused');
        if (index + 1 >= plan.length) return step.endDialog({ outcome: 'refused' } satisfies TroubleshootResult);
        return step.replaceDialog(TROUBLESHOOT_DIALOG, { index: index + 1 } satisfies LoopOptions);
      case 'not-fixed':
        recordOutcome(record, current.symptom, current.cause, 'not-fixed');
        if (index + 1 >= plan.length) return step.endDialog({ outcome: 'exhausted' } satisfies TroubleshootResult);
        return step.replaceDialog(TROUBLESHOOT_DIALOG, { index: index + 1 } satisfies LoopOptions);
    }
  }
}
