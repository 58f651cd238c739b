import { TurnContext } from 'botbuilder';
import { Retention, SweepResult } from '../core/retention';
import { log } from '../core/log';
import { isProactiveTurn } from './helpdesk/proactive';
import { UserReferences, userReferenceKey } from './helpdesk/users';

/** The storage keys botbuilder's ConversationState and UserState, and the conversation lease, use. */
const conversationKeys = (channelId: string, conversationId: string): string[] => [
  `${channelId}/conversations/${conversationId}/`,
  `leases/${channelId}/${conversationId}`,
];
const userKeys = (channelId: string, userId: string): string[] => [`${channelId}/users/${userId}/`, userReferenceKey(userId)];

/**
 * The personal data the bot keeps, for retention: every turn notes the items it uses (Retention deletes them once
 * unused for RETENTION_DAYS), and an agent can delete one user's data on request.
 */
export class PersonalData {
  constructor(
    private readonly retention: Retention,
    private readonly users: UserReferences | undefined,
  ) {}

  /** Middleware: notes the conversation's and the sender's items (never the bot's own proactive turns). */
  middleware(): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
    return async (context, next) => {
      const a = context.activity;
      if (!isProactiveTurn(context) && a?.channelId && a.conversation?.id) {
        this.retention.touch([
          ...conversationKeys(a.channelId, a.conversation.id),
          ...(a.from?.id ? userKeys(a.channelId, a.from.id) : []),
        ]);
      }
      await next();
    };
  }

  /** Deletes a user's state, reference, 1:1 chat state and tickets. */
  async forgetUser(userId: string): Promise<SweepResult> {
    const reference = await this.users?.get(userId);
    const keys = [
      ...userKeys('msteams', userId),
      ...(reference?.conversation?.id ? conversationKeys(reference.channelId ?? 'msteams', reference.conversation.id) : []),
    ];
    const result = await this.retention.forget(keys, userId);
    this.users?.forget(userId);
    log('info', 'personal data deleted on request', { items: result.items, tickets: result.tickets });
    return result;
  }
}
