import { ConversationReference, TurnContext } from 'botbuilder';
import { KeyValueStore } from '../../core/storage';
import { log } from '../../core/log';
import { ProactiveTurns } from './proactive';

export const userReferenceKey = (userId: string): string => `users/${userId}`;

/** The 1:1 conversation references of everyone who chats with the bot, so agents can send them a flow. */
export class UserReferences {
  private readonly known = new Set<string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly proactive: ProactiveTurns,
  ) {}

  async remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.conversation?.conversationType !== 'personal' || !a.from?.id || this.known.has(a.from.id)) return;
    await this.store.write({ [userReferenceKey(a.from.id)]: { reference: TurnContext.getConversationReference(a), eTag: '*' } });
    this.known.add(a.from.id);
  }

  /** Forgets a user (their data was deleted): the next message stores the reference again. */
  forget(userId: string): void {
    this.known.delete(userId);
  }

  async get(userId: string): Promise<Partial<ConversationReference> | undefined> {
    const key = userReferenceKey(userId);
    const item = (await this.store.read([key]))[key] as { reference?: Partial<ConversationReference> } | undefined;
    return item?.reference;
  }

  /** Runs `logic` in a user's 1:1 chat. False when the user can't be reached (never chatted with the bot). */
  async inUserChat(current: TurnContext, userId: string, logic: (context: TurnContext) => Promise<void>): Promise<boolean> {
    const reference = await this.get(userId);
    if (!reference) return false;
    if (reference.conversation?.id === current.activity.conversation?.id) {
      // That chat is this turn's own conversation (an agent sending a flow to themselves): a proactive turn into it
      // would wait for this very turn to end, so the logic runs in this turn.
      await logic(current);
      return true;
    }
    try {
      await this.proactive.run(reference, logic);
      return true;
    } catch (err) {
      log('warn', 'could not reach the user', { error: (err as Error).message });
      return false;
    }
  }
}
