import { TurnContext } from 'botbuilder';
import { AskDialog, AskState, Reply } from './askDialog';
import { offerPersonCard } from '../cards';
import { Translate } from '../src/core/knowledge/locales';
import { NONE, SymptomId } from '../src/core/knowledge/catalog';
import { readPlainNo, readPoliteDecline, readSendIt } from '../src/core/replies/cardReplies';
import { readWorksNow } from '../src/core/replies/worksNow';
import { readCommand, readConfirmation, readOutcome, readSmallTalk } from '../src/core/replies/understand';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const OFFER_DIALOG = 'offer-person';

export interface OfferOptions {
  record: string;
  /** Translation keys of the card's title, body and yes button. */
  title: string;
  body: string;
  yes: string;
}

/** Yes or no; "fixed" when the user says it works now ("ya funciona"); or, instead of an answer, a new description of the problem that names a symptom the bot knows. */
export type OfferResult = boolean | 'fixed' | { symptom: SymptomId; text: string };

type State = OfferOptions & AskState;

/**
 * "Shall I hand this over to a person?" Yes or no, by button or typed ("yes please", "sì grazie", "va bene, invialo",
 * "no thanks"); a yes is never read as "it works now" unless the rest of the message says so ("sì, ora funziona");
 * asking for a person here is a yes; a polite "thanks anyway" / "vale gracias" is a no; "non ha funzionato" is not a
 * no (the user is talking about the fix). A message that describes a problem the bot recognizes is that problem, to
 * troubleshoot. Anything else gets the one-line re-ask; a second reply it cannot place ("mmm", "no se", "eh?") is
 * taken as a no, with the line saying how to ask for a person later: never a loop, and never a ticket without a yes.
 */
export class OfferDialog extends AskDialog<OfferOptions, OfferResult> {
  constructor(private readonly services?: BotServices) {
    super(OFFER_DIALOG);
  }

  protected async prompt(context: TurnContext, state: State): Promise<void> {
    const tr = t(context);
    await context.sendActivity(cardActivity(offerPersonCard(tr, state.record, tr(state.title), tr(state.body), tr(state.yes))));
  }

  protected async read(context: TurnContext): Promise<Reply<OfferResult>> {
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
    if (readPoliteDecline(text, locale)) return { value: false };
    // Taking leave ("bye", "ok bye", "vale, adiós") hands nothing over: only a yes or a "send it" does.
    if (readSmallTalk(text, locale) === 'goodbye' && !readSendIt(text, locale)) return { value: false };
    // "Ya funciona", "ora funziona": it works now, nothing to hand over.
    if (readWorksNow(text, locale)) return { value: 'fixed' };
    // A yes or a "send it" is a yes ("va bene, invialo", "sí, por fa", "yes, that works", "invialo").
    const answer = readSendIt(text, locale) ? 'yes' : readConfirmation(text, locale);
    const aboutTheFix = readOutcome(text, locale) === 'not-fixed' && !readPlainNo(text, locale);
    if (answer === 'yes' || (answer === 'no' && !aboutTheFix)) return { value: answer === 'yes' };
    const r = this.services?.recognizer.recognize(text, locale);
    if (r && r.intent !== NONE && !r.ambiguous) return { value: { symptom: r.intent, text } };
    // "Non ha funzionato" says how the fix went: it answers nothing here, but it is not a reply the bot cannot place
    // (it does not count towards the second miss that closes the offer).
    if (aboutTheFix) {
      await context.sendActivity(this.reask(t(context)));
      return 'answered';
    }
    return 'miss';
  }

  protected reask(tr: Translate): string {
    return tr('person.reask');
  }

  protected fallback(): OfferResult {
    return false;
  }
}
