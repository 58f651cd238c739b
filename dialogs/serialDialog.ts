import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { choicesCard } from '../cards';
import { action } from '../cards/actions';
import { readSerialNumber } from '../src/core/diagnostics/answers';
import { normalize } from '../src/core/nlu/text';
import { readConfirmation, readDontKnow } from '../src/core/replies/understand';
import { checkSerial } from './evidence';
import { TROUBLESHOOT_DIALOG } from './troubleshootDialog';
import { BotServices, cardActivity, messageText, pressed, t, turnLocale } from './turn';

export const SERIAL_DIALOG = 'serial-number';

interface State {
  invalid?: number;
}

/**
 * Asks for the device's serial number, once, when it would change what happens (serialWouldChange): where to find
 * it on the device, a Skip button. A reply that is not a serial number gets one line saying what one looks like;
 * a second one, "skip", "no" or "I don't know" goes on without it. Either way it then hands over to the causes
 * (TroubleshootDialog), whose result goes back to the main flow as if the causes had been started there.
 */
export class SerialDialog extends Dialog {
  constructor(private readonly services: BotServices) {
    super(SERIAL_DIALOG);
  }

  /** Checks the serial (if given) and goes on to the causes. */
  private async done(dc: DialogContext, serial?: string): Promise<DialogTurnResult> {
    const record = (await this.services.conversationData.get(dc.context, {})).record;
    if (serial && record) await checkSerial(dc.context, this.services, record, serial);
    return dc.replaceDialog(TROUBLESHOOT_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.send(dc.context, 'evidence.serial.ask');
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (pressed(dc.context)) return this.done(dc);
    const text = messageText(dc.context);
    const locale = turnLocale(dc.context);
    const tr = t(dc.context);
    const skip =
      !text ||
      normalize(text) === normalize(tr('evidence.serial.skip')) ||
      readConfirmation(text, locale) === 'no' ||
      readDontKnow(text, locale);
    if (skip) return this.done(dc);
    const serial = readSerialNumber(text);
    if (serial) return this.done(dc, serial);
    const state = dc.activeDialog!.state as State;
    state.invalid = (state.invalid ?? 0) + 1;
    if (state.invalid >= 2) return this.done(dc);
    await this.send(dc.context, 'evidence.serial.invalid');
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
    await this.send(context, 'evidence.serial.ask');
  }

  private async send(context: TurnContext, key: string): Promise<void> {
    const tr = t(context);
    await context.sendActivity(
      cardActivity(choicesCard(tr(key), '', [], [{ title: tr('evidence.serial.skip'), data: action({ action: 'skip' }) }])),
    );
  }
}
