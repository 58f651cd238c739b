import { TurnContext } from 'botbuilder';
import { AskDialog, AskState, Reply } from './askDialog';
import { causeButtons, causeCard, CauseCardInput, isHandoffCard, offerPersonCard } from '../cards';
import { Outcome } from '../cards/actions';
import { NONE, SymptomId } from '../src/core/knowledge/catalog';
import { Translate } from '../src/core/knowledge/locales';
import { matchErrorText } from '../src/core/nlu/errorTexts';
import { readAcknowledgement, readLabel, readQuestion, readSendIt } from '../src/core/replies/cardReplies';
import {
  readAnotherCause,
  readCardQuestion,
  readRefusal,
  readStepDone,
  readStepReport,
  readUnsure,
  reportsNotFixed,
  saysNotFixed,
} from '../src/core/replies/stepReplies';
import { readConfirmation, readOutcome, readSmallTalk } from '../src/core/replies/understand';
import { answerAboutSteps, answerAtHandoff, answerStepDone } from './stepAnswers';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const CAUSE_DIALOG = 'cause';

export interface CauseOptions {
  symptom: SymptomId;
  cause: string;
  /** 1-based position of this cause in the plan, and the plan's length. */
  position: number;
  total: number;
  /** The diagnostic record's id: buttons of another case's cards are stale. */
  record: string;
  /** Text to send before the card the first time (e.g. "one more thing to check"). */
  lead?: string;
}

/**
 * What the user said about the fix; "unclear" after a re-ask that didn't help either; "handoff" when they pressed
 * "Send it to IT now" on a cause only IT can fix (a yes already: no confirmation); "left" when they took leave at a
 * card that only offers the handoff (nothing was sent), or after a plain explanation of it did not get an answer
 * either; "refused" when they will not do the step and ask for another way ("no quiero borrar mi iphone, ¿hay otra
 * opción?": the step was not tried).
 */
export type CauseResult = Outcome | 'unclear' | 'handoff' | 'left' | 'refused' | NewProblem;

/** Instead of an answer, the error of another problem ("no wait, the message is AccountNotOnboarded"): that problem. */
export interface NewProblem {
  newProblem: string;
}

/**
 * handoff: whether the card only offers the handoff to IT (its re-ask is about that); another: whether it also offers
 * another possible cause ("Show another possible cause").
 */
type State = CauseOptions & AskState & { handoff?: boolean; another?: boolean; unanswered?: number };

/**
 * One possible cause as a card (what you see, the likely cause, the steps) and whether its fix worked: the card's
 * buttons, or typed ("that worked!", "sigue igual", "si blocca ancora" is not a yes), a button's label typed acting
 * as that button. On a card whose only action is the handoff to IT, a yes is that handoff. "Next" or "what else could
 * it be?" is another possible cause. A question about a step gets what the card says about it (dialogs/stepAnswers.ts)
 * and the card keeps waiting.
 */
export class CauseDialog extends AskDialog<CauseOptions, CauseResult> {
  constructor(private readonly services: BotServices) {
    super(CAUSE_DIALOG);
  }

  private async input(context: TurnContext, state: State): Promise<CauseCardInput> {
    // Who is asking decides what the card shows (an employee's steps, or every step); the answers pick alternatives.
    const record = (await this.services.conversationData.get(context, {})).record;
    return {
      symptom: state.symptom,
      cause: state.cause,
      position: state.position,
      total: state.total,
      record: state.record,
      locale: turnLocale(context),
      ...(record ? { role: record.role, answers: record.answers } : {}),
      ...(record?.symptom ? { reported: record.symptom } : {}),
    };
  }

  protected async prompt(context: TurnContext, state: State, first: boolean): Promise<void> {
    if (first && state.lead) await context.sendActivity(state.lead);
    await context.sendActivity(cardActivity(causeCard(t(context), await this.input(context, state))));
  }

  protected async read(context: TurnContext, state: State): Promise<Reply<CauseResult>> {
    const press = pressed(context);
    if (press) {
      const d = press.kind === 'action' ? press.data : undefined;
      const mine = !!d && 'cause' in d && d.symptom === state.symptom && d.cause === state.cause && d.record === state.record;
      if (mine && d.action === 'outcome') return { value: d.outcome };
      if (mine && d.action === 'person') return { value: 'handoff' };
      // The buttons of the plain explanation of a card only IT can act on (see handoffMiss).
      const explained = !!d && !('cause' in d && d.cause) && 'record' in d && d.record === state.record && state.handoff;
      if (explained && d.action === 'person') return { value: 'handoff' };
      if (explained && d.action === 'decline-person') return { value: 'left' };
      return 'stale';
    }
    const text = messageText(context);
    const locale = turnLocale(context);
    const tr = t(context);
    const input = await this.input(context, state);
    const buttons = causeButtons(tr, input);
    // A device error of another problem, pasted or corrected ("actually it says User Name Not Recognized"): the user
    // is telling a new problem, not how this fix went.
    const other = matchErrorText(text)?.symptom ?? this.recognizedProblem(text, locale);
    if (other && other !== state.symptom) {
      const reported = (await this.services.conversationData.get(context, {})).record?.symptom;
      if (other !== reported) return { value: { newProblem: text } };
    }
    const label = readLabel(
      text,
      locale,
      buttons.map((b) => b.label),
    );
    if (label !== undefined) return { value: buttons[label]!.button };
    state.handoff = isHandoffCard(input);
    const next = buttons.some((b) => b.button === 'not-fixed');
    state.another = state.handoff && next;
    // "Next", "skip", "what else could it be?", "la siguiente", "un'altra": the card's "Show another possible cause"
    // (or "Didn't help", which moves on the same way).
    if (next && readAnotherCause(text, locale)) return { value: 'not-fixed' };
    // "Envíalo a TI", "ok mandalo" on a card that has the handoff button: that button.
    if (buttons.some((b) => b.button === 'handoff') && readSendIt(text, locale)) return { value: 'handoff' };
    const outcome = readOutcome(text, locale);
    // A bare "ok" or 👍 right after the steps says "understood" as often as "it worked": the first one is asked
    // about ("Did that fix it?"); an answer to that question counts.
    // A second "ok" is not a fix either (a "sí" answers the question): the prompt moves on to "did it work? if not,
    // I can pass it on".
    const acknowledged = outcome === 'fixed' && !state.handoff && readAcknowledgement(text, locale, state.misses > 0);
    if (outcome === 'person') return { value: state.handoff ? 'handoff' : 'person' };
    if (state.handoff) {
      // A question ("que significa eso", "so what now?", "come?") is never a yes: what the card says, and the question.
      if (readCardQuestion(text, locale) && !readSendIt(text, locale) && !readAnotherCause(text, locale))
        return this.handoffMiss(context, state, answerAtHandoff(tr, input, text, locale, state.another));
      const reply = handoffReply(text, locale, outcome, state.another);
      if (reply === 'miss') return this.handoffMiss(context, state, this.reask(tr, state));
      return reply;
    }
    // "No quiero borrar mi iphone, ¿hay otra opción?": the step will not be done; another cause, or a person.
    if (outcome !== 'fixed' && readRefusal(text, locale)) return { value: 'refused' };
    // "Creo que ya, a ver": not sure yet; the card asks how it went.
    if (readUnsure(text, locale) && outcome !== 'not-fixed') return 'miss';
    // "Removed one, now what?": a step done, not a question about it; the next step, or whether it works now.
    if (outcome !== 'not-fixed' && readStepDone(text, locale)) {
      await context.sendActivity(answerStepDone(tr, input, text, locale));
      return 'answered';
    }
    // "Already did that yesterday" (the user is still here: it did not help); "ya lo hice" (did it work?).
    const report = readStepReport(text, locale);
    if (report) {
      // What it says besides counts when it is news ("y sigue igual", "and it works"), not a bare "listo" or "ok".
      const after = report.rest && !readAcknowledgement(report.rest, locale) ? readOutcome(report.rest, locale) : undefined;
      if (after === 'fixed' || after === 'not-fixed') return { value: after };
      if (report.when === 'before') return { value: 'not-fixed' };
      await context.sendActivity(answerStepDone(tr, input, text, locale));
      return 'answered';
    }
    const asks = text.includes('?') || (outcome === undefined && readQuestion(text, locale)) || readCardQuestion(text, locale);
    // "Didn't help, what else could it be?" says how it went before it asks.
    // A question in words wins over a word of it that reads as a fix ("basta che funzioni, dimmi cosa fare").
    if ((outcome !== 'fixed' || readCardQuestion(text, locale, false)) && asks && !reportsNotFixed(text, locale)) {
      // "How do I cancel the profile installation?", "come faccio il backup?": what the card says about it.
      await context.sendActivity(answerAboutSteps(tr, input, text, locale));
      return 'answered';
    }
    if (acknowledged) return 'miss';
    if (outcome === 'fixed' || outcome === 'not-fixed') return { value: outcome };
    // A bare "thanks" after a step is polite, not an answer: it may mean it worked, or thanks for the steps. The
    // re-ask acknowledges it and asks for the outcome ("thanks, it worked" is read above as fixed).
    if (readSmallTalk(text, locale) === 'thanks') return { miss: tr('cause.thanksReask') };
    return 'miss';
  }

  /**
   * A reply at a card only IT can act on that is not an answer: the first gets `line` (the re-ask, or the answer to a
   * question); the second a plainer explanation with the handoff button again; the third ends the card with nothing
   * sent (never a ticket without a yes).
   */
  private async handoffMiss(context: TurnContext, state: State, line: string): Promise<Reply<CauseResult>> {
    state.unanswered = (state.unanswered ?? 0) + 1;
    const tr = t(context);
    if (state.unanswered === 1) await context.sendActivity(line);
    else if (state.unanswered === 2)
      await context.sendActivity(
        cardActivity(offerPersonCard(tr, state.record, tr('cause.explainTitle'), tr('cause.explainHandoff'), tr('cause.handoff'))),
      );
    else return { value: 'left' };
    return 'answered';
  }

  /**
   * A problem the message names with confidence when it says nothing of how the fix went ("actually it says User
   * Name Not Recognized"); undefined otherwise.
   */
  private recognizedProblem(text: string, locale: string): SymptomId | undefined {
    if (readOutcome(text, locale) === 'fixed') return undefined;
    const r = this.services.recognizer.recognize(text, locale);
    return r.intent !== NONE && !r.ambiguous && !r.vague ? (r.intent as SymptomId) : undefined;
  }

  protected reask(tr: Translate, state: State): string {
    return tr(state.another ? 'cause.reaskHandoffNext' : state.handoff ? 'cause.reaskHandoff' : 'cause.reask');
  }

  protected fallback(): CauseResult {
    return 'unclear';
  }
}

/**
 * A typed reply at a card that gives nothing to try, only "Send it to IT now" (and "Show another possible cause"
 * when there is one): yes, ok, send it is the handoff; "next", "skip", "what else could it be?" or "didn't help" is
 * another cause; a no moves on to it, or, with none left, declines the handoff as thanks does; "it works now" is
 * fixed; thanks or bye leaves without anything sent.
 */
function handoffReply(text: string, locale: string, outcome: ReturnType<typeof readOutcome>, another = false): Reply<CauseResult> {
  if (readAnotherCause(text, locale)) return { value: 'not-fixed' };
  const answer = readConfirmation(text, locale);
  // "No thanks" with no other cause to show declines what the card offers: nothing sent, not "shall I hand it over?".
  if (answer === 'no' && !another && !saysNotFixed(text, locale)) return { value: 'left' };
  if (answer === 'no' || outcome === 'not-fixed') return { value: 'not-fixed' };
  if (answer === 'yes') return { value: 'handoff' };
  if (outcome === 'fixed') return { value: 'fixed' };
  const talk = readSmallTalk(text, locale);
  if (talk === 'thanks' || talk === 'goodbye') return { value: 'left' };
  return 'miss';
}
