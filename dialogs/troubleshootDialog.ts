import { Dialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { causeCard, offerPersonCard, ratingCard } from '../cards';
import { DiagnosticRecord, recordOutcome } from '../src/core/diagnostics/record';
import { normalize } from '../src/core/nlu/text';
import { evidencePlan, presentEvidence } from './evidence';
import { BotServices, cardActivity, messageText, submitData, t, turnLocale, vals } from './turn';

export const TROUBLESHOOT_DIALOG = 'troubleshoot-loop';

interface LoopOptions {
  index: number;
}

/** How the troubleshooting of a case ended, for the caller. */
export type TroubleshootResult = { outcome: 'fixed' | 'person' | 'exhausted' };

/**
 * One cause at a time as a card: "That fixed it" closes with a rating, "Didn't help" moves to the next cause
 * (then to related symptoms), "Talk to a person" ends with the wish recorded. Every cause shown and its outcome
 * goes into the diagnostic record.
 */
export class TroubleshootDialog extends WaterfallDialog {
  constructor(private readonly services: BotServices) {
    super(TROUBLESHOOT_DIALOG);
    this.addStep(this.show.bind(this));
    this.addStep(this.react.bind(this));
  }

  private async record(step: WaterfallStepContext): Promise<DiagnosticRecord | undefined> {
    return (await this.services.conversationData.get(step.context, {})).record;
  }

  private async show(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const record = await this.record(step);
    if (!record?.symptom) return step.endDialog();
    const plan = evidencePlan({ ...record, symptom: record.symptom });
    const index = ((step.options ?? {}) as Partial<LoopOptions>).index ?? 0;
    const tr = t(step.context);
    const current = plan[index];
    if (!current) {
      await step.context.sendActivity(cardActivity(offerPersonCard(tr, record.id)));
      return step.endDialog({ outcome: 'exhausted' } satisfies TroubleshootResult);
    }
    const previous = plan[index - 1];
    if (previous && previous.symptom !== current.symptom) {
      await step.context.sendActivity(tr('cause.relatedSymptom', { title: tr(`knowledge:symptoms.${current.symptom}.title`) }));
    }
    recordOutcome(record, current.symptom, current.cause, 'pending');
    if (await presentEvidence(step.context, record, current, index + 1)) {
      vals(step).index = index;
      return Dialog.EndOfTurn;
    }
    const card = causeCard(tr, {
      ...current,
      position: index + 1,
      total: plan.length,
      record: record.id,
      locale: turnLocale(step.context),
    });
    await step.context.sendActivity(cardActivity(card));
    vals(step).index = index;
    return Dialog.EndOfTurn;
  }

  private async react(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const record = await this.record(step);
    if (!record?.symptom) return step.endDialog();
    const index = vals(step).index as number;
    const current = evidencePlan({ ...record, symptom: record.symptom })[index]!;
    const tr = t(step.context);
    const outcome = this.readOutcome(step, record, current);
    if (outcome === 'stale') {
      await step.context.sendActivity(tr('cause.stale'));
      return step.replaceDialog(TROUBLESHOOT_DIALOG, { index } satisfies LoopOptions);
    }
    if (outcome === undefined) {
      // Typed text that isn't an answer to the card: say so and show the card again.
      await step.context.sendActivity(tr('questions.reprompt'));
      return step.replaceDialog(TROUBLESHOOT_DIALOG, { index } satisfies LoopOptions);
    }
    if (outcome === 'fixed') {
      recordOutcome(record, current.symptom, current.cause, 'fixed');
      record.closedAt = new Date().toISOString();
      this.services.events?.outcome('fixed');
      await step.context.sendActivity(cardActivity(ratingCard(tr, record.id)));
      return step.endDialog({ outcome: 'fixed' } satisfies TroubleshootResult);
    }
    if (outcome === 'person') {
      recordOutcome(record, current.symptom, current.cause, 'escalated');
      return step.endDialog({ outcome: 'person' } satisfies TroubleshootResult);
    }
    recordOutcome(record, current.symptom, current.cause, 'not-fixed');
    await step.context.sendActivity(tr('cause.nextCause'));
    return step.replaceDialog(TROUBLESHOOT_DIALOG, { index: index + 1 } satisfies LoopOptions);
  }

  private readOutcome(
    step: WaterfallStepContext,
    record: DiagnosticRecord,
    current: { symptom: string; cause: string },
  ): 'fixed' | 'not-fixed' | 'person' | 'stale' | undefined {
    const data = submitData(step.context);
    if (data) {
      const matches =
        data.action === 'outcome' && data.symptom === current.symptom && data.cause === current.cause && data.record === record.id;
      if (!matches) return 'stale';
      return data.outcome === 'fixed' || data.outcome === 'not-fixed' || data.outcome === 'person' ? data.outcome : 'stale';
    }
    const n = normalize(messageText(step.context));
    const tr = t(step.context);
    if (!n) return undefined;
    if (n === normalize(tr('cause.fixed')) || /^(yes|si|fixed|solved|it works|works now|funciona|resuelto|risolto|funziona)\b/.test(n))
      return 'fixed';
    if (n === normalize(tr('cause.notFixed')) || /^(no|nope|didn t help|not fixed|still|sigue|no funciona|non funziona|ancora)\b/.test(n))
      return 'not-fixed';
    return undefined;
  }
}
