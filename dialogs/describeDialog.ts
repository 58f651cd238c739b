import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { choicesCard } from '../cards';
import { action } from '../cards/actions';
import { normalize } from '../src/core/nlu/text';
import { readSkip, readWithdrawal } from '../src/core/replies/cardReplies';
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
}

/**
 * One optional description before a ticket: whatever the user types is kept verbatim ("no me deja inscribirlo desde
 * el lunes" is a description, not a no). Only an explicit skip skips it: the Skip button, "skip", "omitir", "salta",
 * "nothing to add", a bare "no". A bare greeting, thanks, goodbye or yes is not a description: asked once more; a
 * second yes skips, a second goodbye ends without a ticket.
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
    if (!text || normalize(text) === normalize(tr('escalation.skip')) || readSkip(text, locale)) {
      await dc.context.sendActivity(tr('escalation.skipped'));
      return dc.endDialog({} satisfies DescribeResult);
    }
    // Taking it back ("don't send it", "mejor no"), or saying it works now: no ticket.
    if (readWithdrawal(text, locale) || readWorksNow(text, locale)) {
      await dc.context.sendActivity(tr('escalation.notCreated'));
      return dc.endDialog({ withdrawn: true } satisfies DescribeResult);
    }
    const talk = readSmallTalk(text, locale);
    const yes = !talk && readConfirmation(text, locale) === 'yes' && wordsOf(text, locale).length <= 3;
    if (talk || yes) {
      state.asides = (state.asides ?? 0) + 1;
      if (state.asides < 2) {
        await dc.context.sendActivity(tr('escalation.describeAgain'));
        return Dialog.EndOfTurn;
      }
      if (talk === 'goodbye' || talk === 'thanks') return dc.endDialog({ left: true } satisfies DescribeResult);
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
