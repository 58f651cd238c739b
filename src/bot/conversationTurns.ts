import { TurnContext } from 'botbuilder';
import { Leases } from '../core/lease';
import { log } from '../core/log';

const conversationKey = (context: TurnContext): string => `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;

/**
 * Turns of one conversation run one after the other across instances: each takes the conversation's lease in the
 * shared storage first (after serializePerConversation, so one turn per process competes for it).
 */
export function leasePerConversation(leases: Leases): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
  return async (context, next) => {
    if (!context.activity.conversation?.id) return next();
    const lease = await leases.acquire(conversationKey(context));
    try {
      await next();
    } finally {
      await lease.release().catch((err: Error) => log('warn', 'could not release a conversation lease', { error: err.message }));
    }
  };
}

/**
 * Turns of one conversation run one after the other (different conversations still run in parallel): two
 * messages arriving at once would otherwise both read the same state and the later save would drop the earlier
 * one's changes (botbuilder's BotState saves last-writer-wins).
 * A turn must therefore never wait for a turn of its own conversation: work for the conversation a turn is in runs
 * in that turn (Helpdesk.inUserChat), and deliveries run after it (the outbox), never awaited by it.
 */
export function serializePerConversation(): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return async (context, next) => {
    const key = conversationKey(context);
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    await previous;
    try {
      await next();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
