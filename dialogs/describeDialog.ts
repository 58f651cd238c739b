import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { choicesCard } from '../cards';
import { action } from '../cards/actions';
import { normalize } from '../src/core/nlu/text';
import { readConfirmation, readDontKnow } from '../src/core/replies/understand';
import { cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const DESCRIBE_DIALOG = 'describe';

/** The user's own words for the helpdesk, or nothing (skipped). */
export interface DescribeResult {
  description?: string;
}

/**
 * One optional description before a ticket: whatever the user types is kept verbatim; the Skip button, "skip",
 * "no", "nothing", "I don't know" skip it. Every reply is an answer, so it never asks twice.
 */
export class DescribeDialog extends Dialog {
  constructor() {
    super(DESCRIBE_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.send(dc.context);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (pressed(dc.context)) return dc.endDialog({} satisfies DescribeResult);
    const text = messageText(dc.context);
    const locale = turnLocale(dc.context);
    const skip =
      !text ||
      normalize(text) === normalize(t(dc.context)('escalation.skip')) ||
      readConfirmation(text, locale) === 'no' ||
      readDontKnow(text, locale);
    if (skip) {
      await dc.context.sendActivity(t(dc.context)('escalation.skipped'));
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
