import { TurnContext } from 'botbuilder';
import { translator } from '../core/knowledge/locales';
import { turnLocale } from '../../dialogs/turn';
import { log } from '../core/log';
import { Metrics } from './metrics';
import { StorageUnavailableError } from './resilientStorage';
import { correlationIdOf } from './turnLog';

/**
 * The adapter's onTurnError: logs the failure and tells the user, with the correlation id, in the language they
 * chose (or their client's). The bot's own turns (deliveries, isProactive) have nobody to tell: the error goes back to
 * the caller, whose retry it is.
 */
export function turnError(
  metrics: Metrics,
  isProactive: (context: TurnContext) => boolean = () => false,
): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    if (isProactive(context)) throw error;
    metrics.turnError();
    const correlationId = correlationIdOf(context);
    log('error', 'turn failed', {
      correlationId,
      error: error?.message,
      stack: error?.stack,
      activityType: context.activity?.type,
      conversation: context.activity?.conversation?.id,
    });
    try {
      // The state of the failed turn is not saved: the conversation stays where it was before this message.
      const key = error instanceof StorageUnavailableError ? 'errors.storage' : 'errors.generic';
      await context.sendActivity(translator(turnLocale(context))(key, { correlationId }));
    } catch (sendError) {
      log('error', 'could not tell the user about the failed turn', { correlationId, error: (sendError as Error)?.message });
    }
  };
}
