import { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DeliveryError } from '../../core/escalation/outbox';

/** Whether this turn is one of the bot's own proactive turns (continueConversationAsync), not incoming traffic. */
export function isProactiveTurn(context: TurnContext): boolean {
  return context.activity?.type === 'event' && context.activity.name === 'ContinueConversation';
}

/**
 * The one way the bot starts a turn of its own (every delivery to the helpdesk channel and to users, a flow sent to
 * a user), and it fails loudly: botbuilder hands an error inside a turn to onTurnError and carries on, which would
 * make a failed delivery look delivered. Here any failure, in the logic or in the middleware around it, rejects.
 */
export class ProactiveTurns {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async run(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let ran = false;
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        await logic(context);
        ran = true;
      } catch (err) {
        failure = err;
      }
    });
    if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
    if (!ran) throw new DeliveryError('the proactive turn did not run');
  }
}

/** A Bot Connector failure as a delivery error: a 429/503 Retry-After tells the outbox when to come back. */
export function asDeliveryError(err: unknown): Error {
  const e = err as { statusCode?: number; message?: string; response?: { headers?: { get(name: string): string | undefined } } };
  const seconds = Number(e?.response?.headers?.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return new DeliveryError(e.message ?? String(err), { retryAfterMs: seconds * 1000 });
  return err instanceof Error ? err : new Error(String(err));
}
