import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { NONE } from '../src/core/knowledge/catalog';
import { readSendIt } from '../src/core/replies/cardReplies';
import { readCommand, readConfirmation, readOutcome } from '../src/core/replies/understand';
import { readWorksNow } from '../src/core/replies/worksNow';
import { ESCALATION_DIALOG, EscalationOptions } from './escalationDialog';
import { RATING_DIALOG, RatingOptions } from './ratingDialog';
import { BotServices, messageText, PassOnResult, pressed, turnLocale } from './turn';

export const DECLINED_DIALOG = 'person-declined';

/**
 * Right after "no" to the offer of a person: a yes in the next message ("bueno sí, pásalo", "actually yes", "anzi
 * sì", "talk to a person", the offer's "Talk to a person" button) changes one's mind, and the handoff goes on with everything collected
 * (the offer's reason, the record), at the description prompt. "It works now" closes the case. Anything else is a
 * new message.
 */
export class DeclinedDialog extends Dialog<EscalationOptions> {
  constructor(private readonly services: BotServices) {
    super(DECLINED_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: EscalationOptions): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { ...(options ?? { reason: 'asked' }) } satisfies EscalationOptions;
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const options = dc.activeDialog!.state as EscalationOptions;
    const press = pressed(dc.context);
    if (press) {
      if (press.kind === 'action' && press.data.action === 'person') return this.handOver(dc, options);
      return dc.endDialog({ passOn: true } satisfies PassOnResult);
    }
    const text = messageText(dc.context);
    const locale = turnLocale(dc.context);
    const record = (await this.services.conversationData.get(dc.context, {})).record;
    if (record && readWorksNow(text, locale)) {
      record.closedAt = new Date().toISOString();
      return dc.replaceDialog(RATING_DIALOG, { record: record.id } satisfies RatingOptions);
    }
    // "Ya borré otro y sigue igual" has a yes in it, but tells how it goes; a new problem is read afresh.
    if (readCommand(text, locale) === 'person') return this.handOver(dc, options);
    const yes = (readConfirmation(text, locale) === 'yes' || readSendIt(text, locale)) && readOutcome(text, locale) !== 'not-fixed';
    if (yes && this.services.recognizer.recognize(text, locale).intent === NONE) return this.handOver(dc, options);
    return dc.endDialog({ passOn: true } satisfies PassOnResult);
  }

  /** Nothing is waiting for an answer here: there is nothing to show again (a language switch, help). */
  override async repromptDialog(_context: TurnContext, _instance: DialogInstance): Promise<void> {}

  private async handOver(dc: DialogContext, options: EscalationOptions): Promise<DialogTurnResult> {
    return dc.replaceDialog(ESCALATION_DIALOG, { ...options, confirmed: true } satisfies EscalationOptions);
  }
}
