import { GraphClient, TokenProvider } from '../graph/client';
import { HelpdeskTeam } from './team';

/** Where a ticket card is in the helpdesk channel: its thread and its activity (the thread's first message). */
export interface ChannelMessageRef {
  conversationId: string;
  activityId: string;
}

/** Why the channel could not be read back: the caller cannot know whether a card is there, and must not post. */
export class ChannelReadError extends Error {}

/** Reads the helpdesk channel back to find a ticket's card. */
export interface ChannelPosts {
  /**
   * The root message of the channel (or, with `thread`, the reply in that thread), posted by the bot since `since`,
   * that is the card of ticket `ticketId`, or undefined when there is none. Throws ChannelReadError when the channel cannot be read (no permission, Graph
   * down): "none" is then not known.
   */
  find(team: HelpdeskTeam, ticketId: string, since: Date, thread?: string): Promise<ChannelMessageRef | undefined>;
}

interface GraphChatMessage {
  id?: string;
  replyToId?: string | null;
  deletedDateTime?: string | null;
  from?: { application?: { id?: string } | null } | null;
  attachments?: { contentType?: string; content?: string | null }[];
}

/** Graph's clock and ours differ: look back this much further than the intent's time. */
const CLOCK_MARGIN_MS = 5 * 60 * 1000;
/** Longest the read-back may take. */
const READ_DEADLINE_MS = 10_000;

/**
 * The ticket card's own marker: every card's `refresh` action carries `data.ticket`, the ticket id (the bot writes
 * it; a user cannot post as the bot). A root message from the bot's app whose card refreshes for that ticket is it.
 */
export function isCardOf(message: GraphChatMessage, appId: string, ticketId: string, reply = false): boolean {
  if (!message.id || Boolean(message.replyToId) !== reply || message.deletedDateTime) return false;
  if (message.from?.application?.id !== appId) return false;
  return (message.attachments ?? []).some((a) => {
    if (a.contentType !== 'application/vnd.microsoft.card.adaptive' || typeof a.content !== 'string') return false;
    try {
      const card = JSON.parse(a.content) as { refresh?: { action?: { data?: { ticket?: unknown } } } };
      return card.refresh?.action?.data?.ticket === ticketId;
    } catch {
      return false;
    }
  });
}

/**
 * The channel read through Microsoft Graph: `GET /teams/{group}/channels/{channel}/messages/delta` filtered by
 * lastModifiedDateTime (the documented way to list a channel's messages since a time), with the bot's own
 * application token and the resource-specific permission ChannelMessage.Read.Group that the app manifest asks
 * for when the app is installed in the team. A channel message's Graph id is the Bot Framework activity id of the
 * thread's first message, and the thread's conversation id is "<channel>;messageid=<id>".
 */
export class GraphChannelPosts implements ChannelPosts {
  private readonly clients = new Map<string, GraphClient>();

  constructor(
    private readonly endpoint: string,
    private readonly credentialFor: (tenantId: string | undefined) => TokenProvider | undefined,
    private readonly fetchImpl?: typeof fetch,
  ) {}

  private client(tenantId: string | undefined): GraphClient | undefined {
    const key = tenantId ?? '';
    let client = this.clients.get(key);
    if (!client) {
      const credential = this.credentialFor(tenantId);
      if (!credential) return undefined;
      client = new GraphClient({ endpoint: this.endpoint, credential, ...(this.fetchImpl ? { fetch: this.fetchImpl } : {}) });
      this.clients.set(key, client);
    }
    return client;
  }

  async find(team: HelpdeskTeam, ticketId: string, since: Date, thread?: string): Promise<ChannelMessageRef | undefined> {
    if (!team.aadGroupId) throw new ChannelReadError("the helpdesk team's group id is not known yet (the bot hears it from the team)");
    const client = this.client(team.tenantId);
    if (!client)
      throw new ChannelReadError('no credentials to read the helpdesk channel (MicrosoftAppId and a secret or managed identity)');
    const appId = team.botId.replace(/^28:/, '');
    const from = new Date(since.getTime() - CLOCK_MARGIN_MS).toISOString();
    const channel = `/v1.0/teams/${encodeURIComponent(team.aadGroupId)}/channels/${encodeURIComponent(team.channelId)}/messages`;
    // A card posted in an incident's thread is a reply: the thread's replies are listed instead (documented as
    // GET /teams/{id}/channels/{id}/messages/{message-id}/replies; a thread has few, no time filter is needed).
    const root = thread?.split(';messageid=')[1];
    const path = root
      ? `${channel}/${encodeURIComponent(root)}/replies`
      : `${channel}/delta?$filter=${encodeURIComponent(`lastModifiedDateTime gt ${from}`)}`;
    let messages: GraphChatMessage[];
    try {
      messages = await client.getAll<GraphChatMessage>(path, Date.now() + READ_DEADLINE_MS);
    } catch (err) {
      throw new ChannelReadError(`reading the helpdesk channel failed: ${(err as Error).message}`);
    }
    const card = messages.find((m) => isCardOf(m, appId, ticketId, Boolean(root)));
    if (!card) return undefined;
    return root
      ? { conversationId: thread!, activityId: card.id! }
      : { conversationId: `${team.channelId};messageid=${card.id}`, activityId: card.id! };
  }
}
