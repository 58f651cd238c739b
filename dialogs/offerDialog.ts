import { TurnContext } from 'botbuilder';
import { AskDialog, AskState, Reply } from './askDialog';
import { offerPersonCard } from '../cards';
import { Translate } from '../src/core/knowledge/locales';
import { readCommand, readConfirmation } from '../src/core/replies/understand';
import { cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const OFFER_DIALOG = 'offer-person';

export interface OfferOptions {
  record: string;
  /** Translation keys of the card's title, body and yes button. */
  title: string;
  body: string;
  yes: string;
}

type State = OfferOptions & AskState;

/**
 * "Shall I hand this over to a person?" Yes or no, by button or typed ("yes please", "sì grazie", "no thanks");
 * asking for a person here is a yes. Still unclear after a re-ask: no (nothing is handed over unasked).
 */
export class OfferDialog extends AskDialog<OfferOptions, boolean> {
  constructor() {
    super(OFFER_DIALOG);
  }

  protected async prompt(context: TurnContext, state: State): Promise<void> {
    const tr = t(context);
    await context.sendActivity(cardActivity(offerPersonCard(tr, state.record, tr(state.title), tr(state.body), tr(state.yes))));
  }

  protected read(context: TurnContext): Reply<boolean> {
    const press = pressed(context);
    if (press) {
      const d = press.kind === 'action' ? press.data : undefined;
      if (d?.action === 'person') return { value: true };
      if (d?.action === 'decline-person') return { value: false };
      return 'stale';
    }
    const text = messageText(context);
    const locale = turnLocale(context);
    if (readCommand(text, locale) === 'person') return { value: true };
    const answer = readConfirmation(text, locale);
    return answer ? { value: answer === 'yes' } : 'miss';
  }

  protected reask(tr: Translate): string {
    return tr('person.reask');
  }

  protected fallback(): boolean {
    return false;
  }
}
