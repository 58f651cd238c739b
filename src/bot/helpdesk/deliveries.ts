import { CardFactory, EventFactory, TurnContext } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';
import { incidentCard } from '../../../cards/incident';
import { MAX_REFRESH_USERS, refreshUsers, ticketCard, ticketSummary } from '../../../cards/ticket';
import { incidentKey, IncidentStore } from '../../core/escalation/incident';
import { Delivery, DeliveryError, DeliveryHandler, DeliveryKind } from '../../core/escalation/outbox';
import { Ticket } from '../../core/escalation/ticket';
import { TicketStore } from '../../core/escalation/ticketStore';
import { webhookSignature } from '../../core/escalation/webhookSignature';
import { translator } from '../../core/knowledge/locales';
import { log } from '../../core/log';
import { BotConfig } from '../config';
import { asDeliveryError, ProactiveTurns } from './proactive';
import { Roster } from './roster';
import { channelReference, HelpdeskTeam, helpdeskAlert, HelpdeskTeamReference } from './team';

/** A delivery whose ticket is missing this long after it was queued is dropped (the ticket was never stored). */
const MISSING_TICKET_GRACE_MS = 2 * 60 * 1000;

/**
 * What the outbox delivers, each through the one proactive path: the ticket card posted to and updated in the
 * helpdesk channel, the requester's notifications, the ITSM webhook, the handoff event.
 */
export class Deliveries {
  /** Cards this process posted whose bookkeeping failed: the retry records them instead of posting again. */
  private readonly posted = new Map<string, { conversationId: string; activityId: string }>();

  constructor(
    private readonly config: BotConfig,
    private readonly tickets: TicketStore,
    private readonly team: HelpdeskTeamReference,
    private readonly proactive: ProactiveTurns,
    private readonly roster: Roster | undefined,
    private readonly incidents: IncidentStore,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  handlers(): Partial<Record<DeliveryKind, DeliveryHandler>> {
    const handlers: Partial<Record<DeliveryKind, DeliveryHandler>> = {
      'channel-post': (d) => this.postToChannel(d),
      'channel-update': (d) => this.updateInChannel(d),
      'user-notify': (d) => this.notifyUser(d),
      handoff: (d) => this.handoff(d),
      'incident-post': (d) => this.postIncident(d),
    };
    if (this.config.escalationWebhookUrl) handlers.webhook = (d) => this.webhook(d);
    return handlers;
  }

  private async ticket(d: Delivery): Promise<Ticket> {
    const t = await this.tickets.get(d.ticketId);
    if (t) return t;
    const age = Date.now() - Date.parse(d.createdAt);
    throw new DeliveryError(`ticket ${d.ticketId} not found`, { drop: !(age < MISSING_TICKET_GRACE_MS) });
  }

  /**
   * The card for the channel, with the helpdesk members Teams fetches a per-user view for. Without the roster (Teams
   * failed), only the assignee gets one and the others see the shared card: the post does not wait for the roster.
   */
  private async cardFor(context: TurnContext, ticket: Ticket, team: HelpdeskTeam): Promise<ReturnType<typeof CardFactory.adaptiveCard>> {
    const alert = helpdeskAlert(this.config, team);
    let members: string[] = [];
    try {
      members = this.roster ? await this.roster.memberIds(context, MAX_REFRESH_USERS) : [];
    } catch (err) {
      log('warn', 'ticket card: roster unavailable, per-user views for the assignee only', {
        ticket: ticket.id,
        error: (err as Error).message,
      });
    }
    const refreshUserIds = refreshUsers(ticket, members);
    return CardFactory.adaptiveCard(
      ticketCard(translator(this.config.helpdeskLocale), ticket, { ...(alert ? { alert } : {}), refreshUserIds }),
    );
  }

  /**
   * One card per ticket: the intent is recorded on the ticket before posting. A retry that finds the card
   * recorded, or posted by this process, only does the bookkeeping; one that finds the intent without the card
   * (the process stopped while posting) does not post a second card.
   */
  private async postToChannel(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    await this.tickets.ensureIndexed(ticket.id);
    if (ticket.channelMessage) return;
    const posted = this.posted.get(ticket.id);
    if (posted) {
      await this.tickets.annotate(ticket.id, { channelMessage: posted });
      this.posted.delete(ticket.id);
      return;
    }
    if (ticket.channelPostStartedAt) {
      log('error', 'ticket card: a post was under way when its process stopped; not posting a second card', {
        ticket: ticket.id,
        since: ticket.channelPostStartedAt,
      });
      return;
    }
    const team = await this.team.get();
    if (!team) throw new DeliveryError('helpdesk channel unknown: install the bot in the HELPDESK_TEAM_ID team');
    await this.tickets.annotate(ticket.id, { channelPostStartedAt: new Date().toISOString() });
    let message: { conversationId: string; activityId: string };
    try {
      const incidentThread = await this.incidentThread(ticket);
      message = incidentThread
        ? await this.reply(team, incidentThread, (context) => this.cardFor(context, ticket, team))
        : await this.newThread(team, (context) => this.cardFor(context, ticket, team));
    } catch (err) {
      // Teams answered with an error: nothing was posted, the retry may post.
      if ((err as { statusCode?: number }).statusCode) await this.tickets.annotate(ticket.id, { channelPostStartedAt: undefined });
      throw asDeliveryError(err);
    }
    this.posted.set(ticket.id, message);
    await this.tickets.annotate(ticket.id, { channelMessage: message });
    this.posted.delete(ticket.id);
    log('info', 'ticket posted to the helpdesk channel', { ticket: ticket.id });
  }

  /** A new thread in the helpdesk channel starting with the card `card` builds; its conversation and activity ids. */
  private async newThread(
    team: HelpdeskTeam,
    card: (context: TurnContext) => Promise<ReturnType<typeof CardFactory.adaptiveCard>>,
  ): Promise<{ conversationId: string; activityId: string }> {
    let message: { conversationId: string; activityId: string } | undefined;
    await this.proactive.run(channelReference(team, team.channelId), async (context) => {
      const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: { id: team.botId, name: '' },
        channelData: { channel: { id: team.channelId }, ...(team.tenantId ? { tenant: { id: team.tenantId } } : {}) },
        activity: { type: 'message', attachments: [await card(context)] } as never,
        ...(team.tenantId ? { tenantId: team.tenantId } : {}),
      } as never);
      message = { conversationId: created.id, activityId: created.activityId ?? '' };
    });
    return message!;
  }

  /**
   * The thread of the incident a ticket joined, once its card is posted: the ticket's card goes there, under the
   * warning, instead of standing alone. Undefined when it has no incident, or its card isn't posted yet.
   */
  private async incidentThread(ticket: Ticket): Promise<string | undefined> {
    if (!ticket.incidentId) return undefined;
    const incident = await this.incidents.get(incidentKey(ticket.requester.tenantId ?? '', ticket.incidentId));
    return [...(incident?.events ?? [])].reverse().find((e) => e.channelMessage)?.channelMessage?.conversationId;
  }

  /** A reply in a thread of the helpdesk channel; its conversation and activity ids. */
  private async reply(
    team: HelpdeskTeam,
    conversationId: string,
    card: (context: TurnContext) => Promise<ReturnType<typeof CardFactory.adaptiveCard>>,
  ): Promise<{ conversationId: string; activityId: string }> {
    let activityId = '';
    await this.proactive.run(channelReference(team, conversationId), async (context) => {
      activityId = (await context.sendActivity({ type: 'message', attachments: [await card(context)] }))?.id ?? '';
    });
    return { conversationId, activityId };
  }

  /**
   * A tenant-wide incident's warning card, one per stage: the stage is marked as being posted (with its eTag)
   * before the post, so of several instances, or a retry after a crash, only one posts.
   */
  private async postIncident(d: Delivery): Promise<void> {
    if (!d.incident) throw new DeliveryError('incident delivery without an incident', { drop: true });
    const { key, stage } = d.incident;
    const incident = await this.incidents.get(key);
    const event = incident?.events.find((e) => e.stage === stage);
    if (!incident || !event) throw new DeliveryError(`incident ${key} not found`, { drop: true });
    if (event.postStartedAt) return;
    const team = await this.team.get();
    if (!team) throw new DeliveryError('helpdesk channel unknown: install the bot in the HELPDESK_TEAM_ID team');
    if (!(await this.incidents.startPost(key, stage))) return;
    let message: { conversationId: string; activityId: string };
    try {
      const alert = helpdeskAlert(this.config, team);
      const card = CardFactory.adaptiveCard(incidentCard(translator(this.config.helpdeskLocale), incident, alert ? { alert } : {}));
      message = await this.newThread(team, () => Promise.resolve(card));
    } catch (err) {
      // Teams answered with an error: nothing was posted, the retry may post.
      if ((err as { statusCode?: number }).statusCode) await this.incidents.finishPost(key, stage, undefined);
      throw asDeliveryError(err);
    }
    await this.incidents.finishPost(key, stage, message);
    log('info', 'incident posted to the helpdesk channel', { incident: incident.id, stage });
  }

  private async updateInChannel(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    const team = await this.team.get();
    // Not posted yet: the pending post will show the latest state.
    if (!ticket.channelMessage || !team) return;
    const { conversationId, activityId } = ticket.channelMessage;
    await this.proactive
      .run(channelReference(team, conversationId), async (context) => {
        await context.updateActivity({ type: 'message', id: activityId, attachments: [await this.cardFor(context, ticket, team)] });
      })
      .catch((err) => {
        throw asDeliveryError(err);
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
    await this.proactive
      .run(ticket.requesterConversation as never, async (context) => {
        await context.sendActivity(text);
      })
      .catch((err) => {
        throw asDeliveryError(err);
      });
  }

  private async webhook(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    const body = JSON.stringify({
      idempotencyKey: d.idempotencyKey,
      event: d.event ?? 'created',
      ticket: { ...ticket, requesterConversation: undefined, channelPostStartedAt: undefined },
      summary: ticketSummary(translator(this.config.helpdeskLocale), ticket),
    });
    const secret = this.config.escalationWebhookSecret;
    let res: Response;
    try {
      res = await this.fetchImpl(this.config.escalationWebhookUrl!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': d.idempotencyKey,
          ...(secret ? webhookSignature(secret, body) : {}),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new DeliveryError(`webhook unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new DeliveryError(`webhook answered ${res.status}`, {
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
  }

  /** Bot Framework handoff.initiate, for channels that route to a contact center (HANDOFF_EVENT=on). */
  private async handoff(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    await this.proactive
      .run(ticket.requesterConversation as never, async (context) => {
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
      })
      .catch((err) => {
        throw asDeliveryError(err);
      });
  }
}
