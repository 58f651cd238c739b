import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { choicesCard } from '../cards';
import { action } from '../cards/actions';
import { normalize } from '../src/core/nlu/text';
import { readNoNote, readWithdrawal } from '../src/core/replies/cardReplies';
import { readConfirmation, readSmallTalk } from '../src/core/replies/understand';
import { readWorksNow } from '../src/core/replies/worksNow';
import { wordsOf } from '../src/core/replies/phrases';
import { cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const DESCRIBE_DIALOG = 'describe';

/** The user's own words for the helpdesk, or nothing (skipped); "left" when they only took leave, twice. */
export interface DescribeResult {
  description?: string;
  left?: boolean;
  /** The request was taken back (or it works now); the user has been told no ticket was made. */
  withdrawn?: boolean;
}

interface State {
  /** Replies so far that were neither a description nor a skip (a bare hello, thanks, bye or yes). */
  asides: number;
  /** One of them took leave ("bye", "ciao"): thanks or a goodbye after it ends without a ticket, and says so. */
  leaving?: boolean;
}

/**
 * One optional description before a ticket: whatever the user types is kept verbatim ("no me deja inscribirlo desde
 * el lunes" is a description, not a no). The user has said yes to the ticket, so anything that says "no note, send
 * it" sends it without one: the Skip button, "skip", "omitir", "nothing to add", "just send it", "envíalo así", "nada
 * más, gracias", a bare "no" or thanks. Taking it back ("don't send it", "ci ho ripensato", "no, wait") or "it works
 * now" makes no ticket, and says so. A bare greeting, goodbye or yes is not a description: asked once more; a second
 * one sends it without a note, unless the user took leave twice (then no ticket, and they are told).
 */
export class DescribeDialog extends Dialog {
  constructor() {
    super(DESCRIBE_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { asides: 0 } satisfies State;
    await this.send(dc.context);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const tr = t(dc.context);
    if (pressed(dc.context)) return dc.endDialog({} satisfies DescribeResult);
    const state = (dc.activeDialog!.state ?? {}) as State;
    const text = messageText(dc.context);
    const locale = turnLocale(dc.context);
    const talk = readSmallTalk(text, locale);
    // After a goodbye, thanks or another goodbye is taking leave: no ticket is created by a goodbye.
    if (state.leaving && (talk === 'goodbye' || talk === 'thanks')) return dc.endDialog({ left: true } satisfies DescribeResult);
    // Taking it back ("don't send it", "mejor no"), or saying it works now: no ticket.
    if (readWithdrawal(text, locale) || readWorksNow(text, locale)) {
      await dc.context.sendActivity(tr('escalation.notCreated'));
      return dc.endDialog({ withdrawn: true } satisfies DescribeResult);
    }
    if (!text || normalize(text) === normalize(tr('escalation.skip')) || readNoNote(text, locale)) {
      await dc.context.sendActivity(tr('escalation.skipped'));
      return dc.endDialog({} satisfies DescribeResult);
    }
    const yes = !talk && readConfirmation(text, locale) === 'yes' && wordsOf(text, locale).length <= 3;
    if (talk || yes) {
      state.asides = (state.asides ?? 0) + 1;
      // A bare hello here is as often a goodbye ("ciao", "chao").
      if (talk === 'goodbye' || talk === 'greeting') state.leaving = true;
      if (state.asides < 2) {
        await dc.context.sendActivity(tr('escalation.describeAgain'));
        return Dialog.EndOfTurn;
      }
      await dc.context.sendActivity(tr('escalation.skipped'));
      return dc.endDialog({} satisfies DescribeResult);
    }
    return dc.endDialog({ description: text } satisfies DescribeResult);
  }

  override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
    await this.send(context);
  }

  private async send(context: TurnContext): Promise<void> {
    const tr = t(context);
    await context.sendActivity(
      cardActivity(choicesCard(tr('escalation.describe'), '', [], [{ title: tr('escalation.skip'), data: action({ action: 'skip' }) }])),
    );
  }
}
