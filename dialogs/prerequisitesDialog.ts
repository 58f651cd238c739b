import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { pendingQuestions, recordAnswer } from '../src/core/diagnostics/record';
import { answerOf, QUESTION_DIALOG, QuestionOptions, QuestionResult } from './questionDialog';
import { BotServices, t, vals } from './turn';

export const PREREQUISITES_DIALOG = 'prerequisites-loop';

interface LoopOptions {
  index: number;
  total: number;
  /** Text to send together with the first question (or alone when nothing is asked). */
  lead?: string;
}

/**
 * The articles' prerequisite questions, one at a time, skipping what is already known (from the first message,
 * from earlier in the conversation) and what the person asking can't be expected to know. A waterfall that loops
 * with replaceDialog until nothing is pending; each question is a QuestionDialog in the same dialog set.
 */
export class PrerequisitesDialog extends WaterfallDialog {
  constructor(private readonly services: BotServices) {
    super(PREREQUISITES_DIALOG);
    this.addStep(this.ask.bind(this));
    this.addStep(this.record.bind(this));
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const data = await this.services.conversationData.get(step.context, {});
    const record = data.record;
    const opts = (step.options ?? {}) as Partial<LoopOptions>;
    if (!record) return step.endDialog();
    const pending = pendingQuestions(record);
    const question = pending[0];
    if (!question) {
      if (opts.lead) await step.context.sendActivity(opts.lead);
      return step.endDialog();
    }
    const index = opts.index ?? 1;
    const total = opts.total ?? pending.length;
    vals(step).loop = { index, total } satisfies LoopOptions;
    const lead = index === 1 ? [opts.lead, t(step.context)('questions.intro')].filter(Boolean).join('\n\n') : undefined;
    const options: QuestionOptions = {
      question: question.id,
      index,
      total: Math.max(total, index),
      record: record.id,
      ...(lead ? { lead } : {}),
    };
    return step.beginDialog(QUESTION_DIALOG, options);
  }

  private async record(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const result = step.result as QuestionResult | undefined;
    const data = await this.services.conversationData.get(step.context, {});
    if (result && data.record) {
      recordAnswer(data.record, result.question, answerOf(result));
      if (result.question === 'platform' && ['android', 'windows', 'macos'].includes(result.value)) {
        await step.context.sendActivity(t(step.context)('questions.notIos'));
      }
    }
    const loop = vals(step).loop as LoopOptions;
    return step.replaceDialog(PREREQUISITES_DIALOG, { index: loop.index + 1, total: loop.total } satisfies LoopOptions);
  }
}
