import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { TurnContext } from 'botbuilder';
import { questionCard } from '../cards';
import { parseAnswer } from '../src/core/diagnostics/answers';
import { Answer, AnswerSource } from '../src/core/diagnostics/record';
import { DONT_KNOW, getQuestion, QuestionId } from '../src/core/knowledge/catalog';
import { cardActivity, messageText, submitData, t } from './turn';

export const QUESTION_DIALOG = 'question';

export interface QuestionOptions {
  question: QuestionId;
  index: number;
  total: number;
  record: string;
  /** Text to send with the first showing of the question (one message instead of several). */
  lead?: string;
}

export interface QuestionResult {
  question: QuestionId;
  value: string;
  source: AnswerSource;
  raw?: string;
  /** True when the answer still didn't fit after one re-prompt and was kept as free text. */
  unclear?: boolean;
}

/** The answer to store in the diagnostic record. */
export function answerOf(result: QuestionResult): Omit<Answer, 'at'> {
  return { value: result.value, source: result.source, ...(result.raw !== undefined ? { raw: result.raw } : {}) };
}

interface QuestionState extends QuestionOptions {
  attempts: number;
}

/**
 * Asks one prerequisite question as a card with quick-reply buttons; typed answers are accepted too.
 * An answer that doesn't fit gets one re-prompt, then the dialog moves on keeping what the user wrote.
 */
export class QuestionDialog extends Dialog<QuestionOptions> {
  constructor() {
    super(QUESTION_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: QuestionOptions): Promise<DialogTurnResult> {
    if (!options || !getQuestion(options.question)) throw new Error('QuestionDialog needs a known question');
    const { lead, ...rest } = options;
    const state: QuestionState = { ...rest, attempts: 0 };
    dc.activeDialog!.state = state;
    await this.send(dc.context, state, lead);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as QuestionState;
    const question = getQuestion(state.question)!;
    const tr = t(dc.context);
    const data = submitData(dc.context);
    let value: string | undefined;
    let raw: string | undefined;
    if (data) {
      const valid = [...question.answers, DONT_KNOW];
      if (data.action === 'answer' && data.question === question.id && typeof data.answer === 'string' && valid.includes(data.answer)) {
        value = data.answer;
      } else {
        // A button from another card: say so and show the current question again, without counting an attempt.
        await dc.context.sendActivity(tr('cause.stale'));
        await this.send(dc.context, state);
        return Dialog.EndOfTurn;
      }
    } else {
      raw = messageText(dc.context);
      value = parseAnswer(question, raw, tr);
    }
    if (value !== undefined) {
      const result: QuestionResult = { question: question.id, value, source: 'question' };
      if (raw !== undefined && question.answers.length === 0) result.raw = raw;
      return dc.endDialog(result);
    }
    if (state.attempts < 1) {
      state.attempts++;
      await dc.context.sendActivity(tr('questions.reprompt'));
      await this.send(dc.context, state);
      return Dialog.EndOfTurn;
    }
    await dc.context.sendActivity(tr('questions.skipped'));
    const result: QuestionResult = { question: question.id, value: raw ?? '', source: 'question', raw: raw ?? '', unclear: true };
    return dc.endDialog(result);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.send(context, instance.state as QuestionState);
  }

  private async send(context: TurnContext, state: QuestionState, lead?: string): Promise<void> {
    const question = getQuestion(state.question)!;
    await context.sendActivity(cardActivity(questionCard(t(context), question, state.index, state.total, state.record), lead));
  }
}
