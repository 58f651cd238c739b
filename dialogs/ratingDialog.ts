import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { ratingCard } from '../cards';
import { DiagnosticRecord } from '../src/core/diagnostics/record';
import { readRatingReply } from '../src/core/replies/ratingReply';
import { REOPEN_DIALOG, ReopenOptions, takesBackFix } from './reopenDialog';
import { BotServices, cardActivity, findRecord, messageText, PassOnResult, pressed, t, turnLocale } from './turn';

export const RATING_DIALOG = 'rating';

export interface RatingOptions {
  record: string;
}

/**
 * After a fix: "Great, glad it's fixed!" and the rating, by button or typed ("4 stars", "very helpful", "★★★★★").
 * Thanks or goodbye instead get a short friendly close (never an offer of a person), a bare "no" skips the rating,
 * "it still fails" reopens the case where it was (ReopenDialog); anything else is a new message.
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
      if (press.kind !== 'action' || press.data.action !== 'rate') return dc.endDialog({ passOn: true } satisfies PassOnResult);
      rating = press.data.rating;
    } else {
      const text = messageText(dc.context);
      const locale = turnLocale(dc.context);
      const reply = readRatingReply(text, locale);
      switch (reply?.kind) {
        case 'rating':
          rating = reply.rating;
          break;
        case 'close':
          await dc.context.sendActivity(tr('outcome.welcome'));
          return dc.endDialog({} satisfies PassOnResult);
        case 'no':
          // No rating; and if the "no" was about the fix, the line says how to carry on.
          await dc.context.sendActivity(tr('outcome.noRating'));
          return dc.endDialog({} satisfies PassOnResult);
        case 'still-failing':
          // The same problem after all ("actually it still fails"): the case goes on where it was.
          if (takesBackFix(this.services, await this.caseOf(dc.context, state.record), text, locale))
            return dc.replaceDialog(REOPEN_DIALOG, { record: state.record } satisfies ReopenOptions);
          return dc.endDialog({ passOn: true } satisfies PassOnResult);
        default:
          return dc.endDialog({ passOn: true } satisfies PassOnResult);
      }
    }
    const conv = await this.services.conversationData.get(dc.context, {});
    const record = findRecord(conv, press?.kind === 'action' && press.data.action === 'rate' ? press.data.record : state.record);
    if (record) record.rating = rating;
    await dc.context.sendActivity(`${tr('outcome.rated')} ${tr('outcome.anythingElse')}`);
    return dc.endDialog({} satisfies PassOnResult);
  }

  /** The conversation's current case, when it is the one this rating is about. */
  private async caseOf(context: TurnContext, id: string): Promise<DiagnosticRecord | undefined> {
    const record = (await this.services.conversationData.get(context, {})).record;
    return record?.id === id ? record : undefined;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.send(context, (instance.state as RatingOptions).record);
  }

  private async send(context: TurnContext, record: string): Promise<void> {
    await context.sendActivity(cardActivity(ratingCard(t(context), record)));
  }
}
