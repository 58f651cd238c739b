import { TurnContext } from 'botbuilder';
import { markStalePress } from './answeredCards';
import { Dialog, DialogContext, DialogInstance, DialogTurnResult } from './sdk';
import { Translate } from '../src/core/knowledge/locales';
import { t } from './turn';

/**
 * What a reply to a prompt was: an answer, nothing the prompt can use (optionally with the line to re-ask with, when
 * the reply says something of its own, such as thanks), a button from another card, or something the prompt has
 * already answered itself (a question about it) while it keeps waiting for its answer.
 */
export type Reply<R> = { value: R } | 'miss' | { miss: string } | 'stale' | 'answered';

export interface AskState {
  /** Replies in a row the prompt could not use. */
  misses: number;
}

/**
 * A prompt: sends its card, reads each reply (a button of that card, or typed text), and ends with what it read.
 * A reply it cannot use gets one short re-ask that says what it expects (not the card again); a second one ends
 * the prompt with its fallback (e.g. "don't know"), so the conversation never loops. A button from an older card
 * is named as such and the card is shown again. Like botbuilder's prompts, but reading replies in the bot's own way.
 */
export abstract class AskDialog<O extends object, R> extends Dialog<O> {
  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    if (!options || !this.valid(options)) throw new Error(`${this.id} was started without valid options`);
    const state: O & AskState = { ...options, misses: 0 };
    dc.activeDialog!.state = state;
    await this.prompt(dc.context, state, true);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as O & AskState;
    const reply = await this.read(dc.context, state);
    const tr = t(dc.context);
    if (reply === 'stale') {
      markStalePress(dc.context);
      await dc.context.sendActivity(tr('cause.stale'));
      await this.prompt(dc.context, state, false);
      return Dialog.EndOfTurn;
    }
    if (reply === 'answered') return Dialog.EndOfTurn;
    if (reply === 'miss' || 'miss' in reply) {
      state.misses++;
      if (state.misses < 2) {
        await dc.context.sendActivity(reply === 'miss' ? this.reask(tr, state) : reply.miss);
        return Dialog.EndOfTurn;
      }
      return dc.endDialog(await this.fallback(dc.context, state));
    }
    return dc.endDialog(reply.value);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.prompt(context, instance.state as O & AskState, false);
  }

  /** Whether the options are enough to ask (a prompt started without them is a programming error). */
  protected valid(_options: O): boolean {
    return true;
  }

  /** Sends the prompt's card; `first` is true when it is shown for the first time. */
  protected abstract prompt(context: TurnContext, state: O & AskState, first: boolean): Promise<void>;
  /** Reads one reply. */
  protected abstract read(context: TurnContext, state: O & AskState): Promise<Reply<R>> | Reply<R>;
  /** The one-line re-ask after the first reply it could not use. */
  protected abstract reask(tr: Translate, state: O & AskState): string;
  /** What the prompt ends with after a second reply it could not use. */
  protected abstract fallback(context: TurnContext, state: O & AskState): Promise<R> | R;
}
