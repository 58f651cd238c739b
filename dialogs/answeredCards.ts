import { TurnContext } from 'botbuilder';
import { answeredCard } from '../cards/answered';
import { BotServices, cardActivity, pressed, t } from './turn';

const STALE = Symbol('stale press');

/** This turn's press was of an earlier card and was answered as such: that card is left as it is. */
export function markStalePress(context: TurnContext): void {
  context.turnState.set(STALE, true);
}

/**
 * After a turn that answered a button of an employee's card (Action.Submit: the activity's replyToId names the
 * card), that card is updated in place to what was chosen, without buttons, so it cannot be pressed twice. A card
 * Teams will not update (the Bot Connector refuses, or the card was not the bot's) stays as it was: logged, never a
 * failed turn.
 */
export async function closeAnsweredCard(context: TurnContext, log: BotServices['log']): Promise<void> {
  const press = pressed(context);
  const cardId = context.activity.replyToId;
  if (press?.kind !== 'action' || !cardId || context.turnState.get(STALE)) return;
  const card = answeredCard(t(context), press.data);
  if (!card) return;
  try {
    await context.updateActivity({ ...cardActivity(card), id: cardId });
  } catch (err) {
    log?.('warn', 'answered card not updated in place', { action: press.data.action, error: (err as Error).message });
  }
}
