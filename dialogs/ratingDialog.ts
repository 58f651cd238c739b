import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { ratingCard } from '../cards';
import { readRating, readSmallTalk } from '../src/core/replies/understand';
import { BotServices, cardActivity, findRecord, messageText, pressed, t, turnLocale } from './turn';

export const RATING_DIALOG = 'rating';

export interface RatingOptions {
  record: string;
}

/** The message was not about the rating: the router reads it as a new message. */
export interface RatingResult {
  passOn?: boolean;
}

/**
 * After a fix: "Great, glad it's fixed!" and the rating, by button or typed ("4 stars", "very helpful", "★★★★★").
 * Thanks or goodbye instead get a short friendly close (never an offer of a person); anything else is a new message.
 */
export class RatingDialog extends Dialog<RatingOptions> {
  constructor(private readonly services: BotServices) {
    super(RATING_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: RatingOptions): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { record: options?.record ?? '' } satisfies RatingOptions;
    await this.send(dc.context, options?.record ?? '');
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as RatingOptions;
    const tr = t(dc.context);
    const press = pressed(dc.context);
    let rating: number | undefined;
    if (press) {
      if (press.kind !== 'action' || press.data.action !== 'rate') return dc.endDialog({ passOn: true } satisfies RatingResult);
      rating = press.data.rating;
    } else {
      const text = messageText(dc.context);
      rating = readRating(text, turnLocale(dc.context));
      if (rating === undefined) {
        if (readSmallTalk(text, turnLocale(dc.context))) {
          await dc.context.sendActivity(tr('outcome.welcome'));
          return dc.endDialog({} satisfies RatingResult);
        }
        return dc.endDialog({ passOn: true } satisfies RatingResult);
      }
    }
    const conv = await this.services.conversationData.get(dc.context, {});
    const record = findRecord(conv, press?.kind === 'action' && press.data.action === 'rate' ? press.data.record : state.record);
    if (record) record.rating = rating;
    await dc.context.sendActivity(`${tr('outcome.rated')} ${tr('outcome.anythingElse')}`);
    return dc.endDialog({} satisfies RatingResult);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.send(context, (instance.state as RatingOptions).record);
  }

  private async send(context: TurnContext, record: string): Promise<void> {
    await context.sendActivity(cardActivity(ratingCard(t(context), record)));
  }
}
