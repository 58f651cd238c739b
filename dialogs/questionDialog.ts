import { TurnContext } from 'botbuilder';
import { AskDialog, AskState, Reply } from './askDialog';
import { questionCard, questionWording } from '../cards';
import { parseAnswer } from '../src/core/diagnostics/answers';
import { Answer, AnswerSource, Role } from '../src/core/diagnostics/record';
import { DONT_KNOW, getQuestion, NONE, QuestionId, SymptomId } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { matchErrorText } from '../src/core/nlu/errorTexts';
import { Aside, readAside } from '../src/core/replies/questionAsides';
import { NewProblem } from './causeDialog';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const QUESTION_DIALOG = 'question';

export interface QuestionOptions {
  question: QuestionId;
  index: number;
  total: number;
  record: string;
  /** Text to send with the first showing of the question (one message instead of several). */
  lead?: string;
  /** Who is asked: an employee gets the question in the words of their own situation. */
  role?: Role;
  /**
   * The case's symptom, when another problem typed instead of an answer ("actually it says Device Cap Reached") ends
   * the question with that problem (NewProblem) rather than a re-ask.
   */
  symptom?: SymptomId;
}

export interface QuestionResult {
  question: QuestionId;
  value: string;
  source: AnswerSource;
  raw?: string;
  /** True when the answer still didn't fit after one re-ask: recorded as "don't know", with what was typed. */
  unclear?: boolean;
}

/** The answer to store in the diagnostic record. */
export function answerOf(result: QuestionResult): Omit<Answer, 'at'> {
  return { value: result.value, source: result.source, ...(result.raw !== undefined ? { raw: result.raw } : {}) };
}

type State = QuestionOptions &
  AskState & {
    /** The asides already answered at this question ("why do you ask?", "how do I know?"). */
    asides?: Aside[];
  };

/** An answer, or another problem typed instead (only when the options name the case's symptom). */
export type QuestionReply = QuestionResult | NewProblem;

/**
 * One prerequisite question as a card with a button per answer. Typed answers count too: the label's words, its
 * number or position, "don't know" in the user's words. A reply that fits no answer gets one re-ask listing the
 * answers; after a second one the question is recorded as "don't know", keeping what the user wrote.
 */
export class QuestionDialog extends AskDialog<QuestionOptions, QuestionReply> {
  /** Without a recognizer, only a pasted error text of another problem counts as that problem. */
  constructor(private readonly services?: Pick<BotServices, 'recognizer'>) {
    super(QUESTION_DIALOG);
  }

  protected override valid(options: QuestionOptions): boolean {
    return !!getQuestion(options.question);
  }

  protected async prompt(context: TurnContext, state: State, first: boolean): Promise<void> {
    const question = getQuestion(state.question)!;
    const card = questionCard(t(context), question, state.index, state.total, state.record, state.role);
    await context.sendActivity(cardActivity(card, first ? state.lead : undefined));
  }

  protected async read(context: TurnContext, state: State): Promise<Reply<QuestionReply>> {
    const question = getQuestion(state.question)!;
    const press = pressed(context);
    if (press) {
      const d = press.kind === 'action' ? press.data : undefined;
      const valid = [...question.answers, DONT_KNOW];
      if (d?.action === 'answer' && d.question === question.id && valid.includes(d.answer)) {
        return { value: { question: question.id, value: d.answer, source: 'question' } };
      }
      return 'stale';
    }
    const raw = messageText(context);
    const locale = turnLocale(context);
    // A device error of another problem, pasted or corrected: the user is telling a new problem, not answering.
    // "Company Portal Temporarily Unavailable" is that error, not the answer "Company Portal".
    const pasted = matchErrorText(raw)?.symptom;
    if (state.symptom && pasted && pasted !== state.symptom) return { value: { newProblem: raw } };
    const aside = readAside(raw, locale);
    if (aside && !state.asides?.includes(aside)) {
      state.asides = [...(state.asides ?? []), aside];
      return this.answerAside(context, state, aside);
    }
    // Asked again how to tell, after the hint: they don't know.
    if (aside === 'how') return { value: { question: question.id, value: DONT_KNOW, source: 'question', raw } };
    const value = parseAnswer(question, raw, t(context), locale);
    if (value === undefined) {
      const other = question.answers.length > 0 ? this.recognizedProblem(raw, locale) : undefined;
      return state.symptom && other && other !== state.symptom ? { value: { newProblem: raw } } : 'miss';
    }
    const result: QuestionResult = { question: question.id, value, source: 'question' };
    if (question.answers.length === 0 && value !== DONT_KNOW) result.raw = raw;
    return { value: result };
  }

  /** A problem the message names with confidence, when it is no answer to a question with answers to pick. */
  private recognizedProblem(text: string, locale: string): SymptomId | undefined {
    const r = this.services?.recognizer.recognize(text, locale);
    return r && r.intent !== NONE && !r.ambiguous && !r.vague ? r.intent : undefined;
  }

  /**
   * "Why do you ask?": one line on why this question changes the answer; "how do I know?": a hint on how to find
   * out. Then the same question again, with the same numbering, still waiting for its answer.
   */
  private async answerAside(context: TurnContext, state: State, aside: Aside): Promise<Reply<QuestionReply>> {
    const tr = t(context);
    const question = getQuestion(state.question)!;
    const card = questionCard(tr, question, state.index, state.total, state.record, state.role);
    await context.sendActivity(cardActivity(card, tr(`questions.${aside}.${question.id}`)));
    return 'answered';
  }

  protected reask(tr: Translate, state: State): string {
    const question = getQuestion(state.question)!;
    if (question.answers.length === 0) return tr('questions.reaskFree');
    const wording = questionWording(tr, question, state.role);
    const answers = [...question.answers, DONT_KNOW].map((a, i) => `**${i + 1}** ${wording.label(a)}`).join(' · ');
    return tr('questions.reask', { answers });
  }

  protected async fallback(context: TurnContext, state: State): Promise<QuestionResult> {
    await context.sendActivity(t(context)('questions.skipped'));
    const raw = messageText(context);
    return { question: state.question, value: DONT_KNOW, source: 'question', ...(raw ? { raw } : {}), unclear: true };
  }
}
