import {
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  CardFactory,
  CloudAdapter,
  ConversationReference,
  EventFactory,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import { ticketCard } from '../../cards/ticket';
import { Delivery, DeliveryHandler, DeliveryKind } from '../core/escalation/outbox';
import { EscalationService } from '../core/escalation/service';
import { Person, Ticket, TransitionResult } from '../core/escalation/ticket';
import { translator } from '../core/knowledge/locales';
import { KeyValueStore } from '../core/storage';
import { log } from '../server/log';
import { BotConfig } from './config';

const TEAM_KEY = 'helpdesk/team';
const ROSTER_TTL_MS = 5 * 60 * 1000;

/** The helpdesk team as the bot saw it when installed there: enough to post into its channel proactively. */
export interface HelpdeskTeam {
  teamId: string;
  channelId: string;
  serviceUrl: string;
  tenantId?: string;
  botId: string;
  savedAt: string;
}

/** A conversation in the helpdesk team (its channel, or a thread in it), for proactive turns. */
function channelReference(team: HelpdeskTeam, conversationId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: team.serviceUrl,
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', name: '' },
    bot: { id: team.botId, name: '' },
  };
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Everything that touches the helpdesk team: remembering it when the bot is installed, posting and updating ticket
 * cards in its channel, notifying requesters, the ITSM webhook, the roster check, and the agents' card actions.
 */
export class Helpdesk {
  private readonly roster = new Map<string, { member: boolean; until: number }>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly config: BotConfig,
    private readonly store: KeyValueStore,
    private readonly escalation: EscalationService,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get enabled(): boolean {
    return !!this.config.helpdeskTeamId;
  }

  /** When the bot is added to (or hears from) the helpdesk team, keep the reference and deliver what was waiting. */
  async rememberTeam(context: TurnContext): Promise<boolean> {
    const team = (context.activity.channelData as { team?: { id?: string } } | undefined)?.team;
    if (!this.config.helpdeskTeamId || team?.id !== this.config.helpdeskTeamId) return false;
    const tenantId = (context.activity.channelData as { tenant?: { id?: string } }).tenant?.id ?? context.activity.conversation?.tenantId;
    const value: HelpdeskTeam = {
      teamId: team.id,
      // In Teams the General channel's id is the team id.
      channelId: this.config.helpdeskChannelId ?? team.id,
      serviceUrl: context.activity.serviceUrl,
      botId: context.activity.recipient.id,
      savedAt: new Date().toISOString(),
      ...(tenantId ? { tenantId } : {}),
    };
    await this.store.write({ [TEAM_KEY]: { ...value, eTag: '*' } });
    log('info', 'helpdesk team reference saved', { team: team.id, channel: value.channelId });
    await this.escalation.outbox.retryNow((d) => d.kind === 'channel-post' || d.kind === 'channel-update');
    return true;
  }

  async team(): Promise<HelpdeskTeam | undefined> {
    return (await this.store.read([TEAM_KEY]))[TEAM_KEY] as HelpdeskTeam | undefined;
  }

  private readonly knownUsers = new Set<string>();

  /** Keeps the 1:1 conversation reference of everyone who chats with the bot, so agents can send them a flow. */
  async rememberUser(context: TurnContext): Promise<void> {
    const a = context.activity;
    if (a.conversation?.conversationType !== 'personal' || !a.from?.id || this.knownUsers.has(a.from.id)) return;
    await this.store.write({ [`users/${a.from.id}`]: { reference: TurnContext.getConversationReference(a), eTag: '*' } });
    this.knownUsers.add(a.from.id);
  }

  async userReference(userId: string): Promise<Partial<ConversationReference> | undefined> {
    const item = (await this.store.read([`users/${userId}`]))[`users/${userId}`] as
      { reference?: Partial<ConversationReference> } | undefined;
    return item?.reference;
  }

  /** Runs `logic` in a user's 1:1 chat. False when the user can't be reached (never chatted with the bot). */
  async inUserChat(current: TurnContext, userId: string, logic: (context: TurnContext) => Promise<void>): Promise<boolean> {
    const reference = await this.userReference(userId);
    if (!reference) return false;
    if (reference.conversation?.id === current.activity.conversation?.id) {
      // That chat is this turn's own conversation (an agent sending a flow to themselves): a proactive turn into it
      // would wait for this very turn to end, so the logic runs in this turn.
      await logic(current);
      return true;
    }
    try {
      await this.proactive(reference, logic);
      return true;
    } catch (err) {
      log('warn', 'could not reach the user', { error: (err as Error).message });
      return false;
    }
  }

  /** Members of the helpdesk team are agents (Teams roster API, cached for a few minutes). */
  async isAgent(context: TurnContext): Promise<boolean> {
    const teamId = this.config.helpdeskTeamId;
    const userId = context.activity.from?.id;
    if (!teamId || !userId) return false;
    const cached = this.roster.get(userId);
    if (cached && cached.until > Date.now()) return cached.member;
    let member = false;
    try {
      await TeamsInfo.getTeamMember(context, teamId, userId);
      member = true;
    } catch (err) {
      log('info', 'roster check: not a helpdesk member', { error: (err as Error).message });
    }
    this.roster.set(userId, { member, until: Date.now() + ROSTER_TTL_MS });
    return member;
  }

  handlers(): Partial<Record<DeliveryKind, DeliveryHandler>> {
    const handlers: Partial<Record<DeliveryKind, DeliveryHandler>> = {
      'channel-post': (d) => this.postToChannel(d),
      'channel-update': (d) => this.updateInChannel(d),
      'user-notify': (d) => this.notifyUser(d),
      handoff: (d) => this.handoff(d),
    };
    if (this.config.escalationWebhookUrl) handlers.webhook = (d) => this.webhook(d);
    return handlers;
  }

  /**
   * Runs a proactive turn and fails loudly: botbuilder hands errors inside a turn to onTurnError and carries on,
   * which would make a failed delivery look delivered and drop it from the outbox.
   */
  private async proactive(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    let ran = false;
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.config.appId, reference, async (context) => {
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

  private async ticket(d: Delivery): Promise<Ticket> {
    const t = await this.escalation.tickets.get(d.ticketId);
    if (!t) throw new Error(`ticket ${d.ticketId} not found`);
    return t;
  }

  private cardFor(ticket: Ticket): ReturnType<typeof CardFactory.adaptiveCard> {
    return CardFactory.adaptiveCard(ticketCard(translator(this.config.helpdeskLocale), ticket));
  }

  private async postToChannel(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    if (ticket.channelMessage) return; // already posted (a retry after a crash between post and bookkeeping)
    const team = await this.team();
    if (!team) throw new DeliveryError('helpdesk channel unknown: install the bot in the HELPDESK_TEAM_ID team');
    await this.proactive(channelReference(team, team.channelId), async (context) => {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: { id: team.botId, name: '' },
        channelData: { channel: { id: team.channelId }, ...(team.tenantId ? { tenant: { id: team.tenantId } } : {}) },
        activity: { type: 'message', attachments: [this.cardFor(ticket)] } as never,
        ...(team.tenantId ? { tenantId: team.tenantId } : {}),
      } as never);
      await this.escalation.tickets.setChannelMessage(ticket.id, { conversationId: created.id, activityId: created.activityId ?? '' });
    });
    log('info', 'ticket posted to the helpdesk channel', { ticket: ticket.id });
  }

  private async updateInChannel(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    const team = await this.team();
    // Not posted yet: the pending post will show the latest state.
    if (!ticket.channelMessage || !team) return;
    const { conversationId, activityId } = ticket.channelMessage;
    await this.proactive(channelReference(team, conversationId), async (context) => {
      await context.updateActivity({ type: 'message', id: activityId, attachments: [this.cardFor(ticket)] });
    });
  }

  private async notifyUser(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    const t = translator(ticket.requester.locale);
    const agent = ticket.resolution?.by.name ?? ticket.assignee?.name ?? '';
    const text =
      d.event === 'assigned'
        ? t('escalation.assigned', { id: ticket.id, agent })
        : d.event === 'resolved'
          ? t('escalation.resolved', { id: ticket.id, agent, note: ticket.resolution?.note ?? '' })
          : t('escalation.reopened', { id: ticket.id });
    await this.adapter.continueConversationAsync(
      this.config.appId,
      ticket.requesterConversation as Partial<ConversationReference>,
      async (context) => {
        await context.sendActivity(text);
      },
    );
  }

  private async webhook(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    let res: Response;
    try {
      res = await this.fetchImpl(this.config.escalationWebhookUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': d.idempotencyKey },
        body: JSON.stringify({
          idempotencyKey: d.idempotencyKey,
          event: d.event ?? 'created',
          ticket: { ...ticket, requesterConversation: undefined },
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new DeliveryError(`webhook unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new DeliveryError(
        `webhook answered ${res.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
  }

  /** Bot Framework handoff.initiate, for channels that route to a contact center (HANDOFF_EVENT=on). */
  private async handoff(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    await this.adapter.continueConversationAsync(
      this.config.appId,
      ticket.requesterConversation as Partial<ConversationReference>,
      async (context) => {
        const transcript = {
          activities: ticket.transcript.map((e) => ({
            type: 'message',
            text: e.text,
            timestamp: e.at,
            from: { id: e.from, role: e.from },
          })),
        };
        await context.sendActivity(
          EventFactory.createHandoffInitiation(context, { ticketId: ticket.id, record: ticket.record }, transcript as never),
        );
      },
    );
  }

  /** Universal Actions on ticket cards: assign, resolve (with a note), reopen, refresh. Only agents may act. */
  async handleAction(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const t = translator(this.config.helpdeskLocale);
    const message = (text: string): AdaptiveCardInvokeResponse => ({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: text as never,
    });
    const data = (value?.action?.data ?? {}) as { ticket?: unknown; note?: unknown };
    const verb = value?.action?.verb;
    if (typeof data.ticket !== 'string') return message(t('ticket.notFound'));
    const current = await this.escalation.tickets.get(data.ticket);
    if (!current) return message(t('ticket.notFound'));
    const card = (ticket: Ticket): AdaptiveCardInvokeResponse => ({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: ticketCard(t, ticket) as never,
    });
    if (verb === 'refresh') return card(current);
    if (!(await this.isAgent(context))) {
      log('warn', 'ticket action refused: not a helpdesk member', { ticket: current.id, verb });
      return message(t('ticket.refused'));
    }
    const agent: Person = {
      id: context.activity.from.id,
      name: context.activity.from.name || context.activity.from.id,
      ...(context.activity.from.aadObjectId ? { aadObjectId: context.activity.from.aadObjectId } : {}),
    };
    let result: TransitionResult | undefined;
    if (verb === 'assign') result = await this.escalation.assign(current.id, agent);
    else if (verb === 'resolve') result = await this.escalation.resolve(current.id, agent, typeof data.note === 'string' ? data.note : '');
    else if (verb === 'reopen') result = await this.escalation.reopen(current.id, agent);
    else return message(t('errors.unknownAction'));
    if (!result) return message(t('ticket.notFound'));
    this.afterChange();
    if (!result.ok) {
      if (result.reason === 'missing-note') return message(t('ticket.missingNote'));
      // Someone else was faster: show the card as it is now (with who holds it).
      return card(result.ticket);
    }
    return card(result.ticket);
  }

  /** Set by the wiring: starts delivering the outbox in the background. */
  afterChange: () => void = () => undefined;
}
