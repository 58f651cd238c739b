import { TurnContext } from 'botbuilder';
import { translator, resolveLocale } from '../core/knowledge/locales';
import { log } from '../server/log';
import { Metrics } from './metrics';
import { StorageUnavailableError } from './resilientStorage';
import { correlationIdOf } from './turnLog';

/** The adapter's onTurnError: logs the failure and tells the user, with the correlation id, in their language. */
export function turnError(metrics: Metrics): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
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
      await context.sendActivity(translator(resolveLocale(context.activity?.locale))(key, { correlationId }));
    } catch (sendError) {
      log('error', 'could not tell the user about the failed turn', { correlationId, error: (sendError as Error)?.message });
    }
  };
}
