import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from './sdk';
import { decidingQuestions, DiagnosticRecord, pendingQuestions, recordAnswer } from '../src/core/diagnostics/record';
import { getQuestion, Question, QuestionId } from '../src/core/knowledge/catalog';
import { NewProblem } from './causeDialog';
import { answerOf, QUESTION_DIALOG, QuestionOptions, QuestionReply } from './questionDialog';
import { BotServices, messageText, scratch, t } from './turn';
import { VERSION_DIALOG, versionIn } from './versionDialog';

export const QUESTION_LOOP_DIALOG = 'question-loop';

/** Facts the helpdesk needs in every ticket; asked before the ticket only if still missing. */
export const KEY_FACTS: QuestionId[] = ['error-message', 'platform', 'enrollment-method'];

/**
 * Which questions: the articles' prerequisites this person should answer (before troubleshooting), or the key
 * facts a ticket still lacks (before escalating).
 */
export type QuestionSet = 'prerequisites' | 'key-facts';

export interface QuestionLoopOptions {
  set: QuestionSet;
  /** Text to send together with the first question (or alone when nothing is asked). */
  lead?: string;
  /** Position of the next question and how many there are, for "Question 2 of 4". */
  index?: number;
  total?: number;
}

interface Scratch {
  set: QuestionSet;
  index: number;
  total: number;
}

/**
 * An employee's ticket asks only what changes something for it: the exact error when nothing names the problem yet,
 * and the facts that decide the symptom's causes. The platform is known (the bot covers iPhone and iPad only) and is
 * inferred, like the rest, before the ticket is created (completeForTicket); an agent is asked every key fact.
 */
export function questionsToAsk(record: DiagnosticRecord, set: QuestionSet): Question[] {
  if (set === 'prerequisites') return pendingQuestions(record);
  const deciding = record.symptom ? decidingQuestions(record.symptom) : new Set<QuestionId>();
  const needed = (q: QuestionId): boolean => record.role === 'agent' || q === 'error-message' || (q !== 'platform' && deciding.has(q));
  return KEY_FACTS.filter((q) => !record.answers[q] && needed(q)).flatMap((q) => getQuestion(q) ?? []);
}

/**
 * Asks questions one at a time, skipping what is already known (from the first message, from earlier in the
 * conversation) and, for an employee, what only an agent can answer. Each question is a QuestionDialog; the loop
 * repeats itself with replaceDialog until nothing is pending.
 */
export class QuestionLoopDialog extends WaterfallDialog<QuestionLoopOptions> {
  constructor(private readonly services: BotServices) {
    super(QUESTION_LOOP_DIALOG);
    this.addStep(this.ask.bind(this));
    this.addStep(this.record.bind(this));
    this.addStep(this.version.bind(this));
  }

  private async ask(step: WaterfallStepContext<QuestionLoopOptions>): Promise<DialogTurnResult> {
    const record = (await this.services.conversationData.get(step.context, {})).record;
    const options = step.options;
    const pending = record ? questionsToAsk(record, options.set) : [];
    const question = pending[0];
    if (!record || !question) {
      if (options.lead) await step.context.sendActivity(options.lead);
      return step.endDialog();
    }
    const index = options.index ?? 1;
    const total = Math.max(options.total ?? pending.length, index);
    Object.assign(scratch<Scratch>(step), { set: options.set, index, total } satisfies Scratch);
    const intro = options.set === 'prerequisites' && index === 1 ? t(step.context)('questions.intro') : undefined;
    const lead = [options.lead, intro].filter(Boolean).join('\n\n');
    return step.beginDialog(QUESTION_DIALOG, {
      question: question.id,
      index,
      total,
      record: record.id,
      role: record.role,
      ...(lead ? { lead } : {}),
      // Before troubleshooting, another problem typed instead of an answer is that problem; before the ticket, what is
      // typed is the ticket's facts.
      ...(options.set === 'prerequisites' && record.symptom ? { symptom: record.symptom } : {}),
    } satisfies QuestionOptions);
  }

  private async record(step: WaterfallStepContext<QuestionLoopOptions>): Promise<DialogTurnResult> {
    const result = step.result as QuestionReply | undefined;
    // Another problem typed instead of an answer: the loop ends with it, for the case to start over on it.
    if (result && 'newProblem' in result) return step.endDialog(result satisfies NewProblem);
    const record = (await this.services.conversationData.get(step.context, {})).record;
    if (result && record) {
      recordAnswer(record, result.question, answerOf(result));
      if (result.question === 'platform' && ['android', 'windows', 'macos'].includes(result.value)) {
        await step.context.sendActivity(t(step.context)('questions.notIos'));
      }
    }
    // An agent on Configuration Manager: its version too (typed with the answer, "Configuration Manager 2309", or asked).
    if (result && record?.role === 'agent' && result.question === 'mdm-authority' && result.value === 'configmgr') {
      const typed = versionIn(messageText(step.context));
      if (!typed) return step.beginDialog(VERSION_DIALOG, {});
      record.answers['mdm-authority']!.raw = typed;
    }
    return this.next(step);
  }

  /** The Configuration Manager version, kept with the MDM authority answer. */
  private async version(step: WaterfallStepContext<QuestionLoopOptions>): Promise<DialogTurnResult> {
    const record = (await this.services.conversationData.get(step.context, {})).record;
    const answer = record?.answers['mdm-authority'];
    if (answer && typeof step.result === 'string') answer.raw = step.result;
    return this.next(step);
  }

  private next(step: WaterfallStepContext<QuestionLoopOptions>): Promise<DialogTurnResult> {
    const { set, index, total } = scratch<Scratch>(step) as Scratch;
    return step.replaceDialog(QUESTION_LOOP_DIALOG, { set, index: index + 1, total } satisfies QuestionLoopOptions);
  }
}
