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
import { singleAttemptClient } from '../sdkInternals';
import { ChannelPosts } from './channelPosts';
import { asDeliveryError, ProactiveTurns } from './proactive';
import { Roster } from './roster';
import { channelReference, HelpdeskTeam, helpdeskAlert, HelpdeskTeamReference } from './team';

/** A delivery whose ticket is missing this long after it was queued is dropped (the ticket was never stored). */
const MISSING_TICKET_GRACE_MS = 2 * 60 * 1000;
/** A ticket card's post request is aborted after this long. */
const POST_TIMEOUT_MS = 30_000;
/**
 * After this long from a post's intent, no request of it can still create a thread (aborted at POST_TIMEOUT_MS,
 * and Teams ends or drops a request it received long before), and a thread it created is listed by Graph.
 */
export const POST_SETTLE_MS = 5 * 60 * 1000;

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
    /** Reads the helpdesk channel back, for a post whose answer never came; without it such a post is not repeated. */
    private readonly channelPosts?: ChannelPosts,
    private readonly postSettleMs = POST_SETTLE_MS,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  handlers(): Partial<Record<DeliveryKind, DeliveryHandler>> {
    const handlers: Partial<Record<DeliveryKind, DeliveryHandler>> = {
      'channel-post': (d) => this.postToChannel(d),
      'channel-update': (d) => this.updateInChannel(d),
      'incident-post': (d) => this.postIncident(d),
      'user-notify': (d) => this.notifyUser(d),
      handoff: (d) => this.handoff(d),
    };
    if (this.config.escalationWebhookUrl) handlers.webhook = (d) => this.webhook(d);
    return handlers;
  }

  /**
   * The delivery's ticket, at its version or later. Deliveries are stored before their ticket is written: a ticket
   * missing, or below the delivery's version, has not been written yet (or never will be: that write failed), so
   * the delivery waits, and is dropped once that cannot be a write still under way.
   */
  private async ticket(d: Delivery): Promise<Ticket> {
    const t = await this.tickets.get(d.ticketId);
    if (t && (t.version ?? 1) >= (d.version ?? 0)) return t;
    const age = Date.now() - Date.parse(d.createdAt);
    const what = t ? `ticket ${d.ticketId} is at version ${t.version}, not ${d.version}` : `ticket ${d.ticketId} not found`;
    throw new DeliveryError(what, { drop: !(age < MISSING_TICKET_GRACE_MS) });
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
   * One card per ticket, and never none. Why it cannot post twice or drop one:
   * - Teams' Bot Connector offers no idempotent post and no way to list a channel (GET /v3/conversations is not
   *   supported in Teams), so the only uncertain moment is a post sent without its answer (the process stopped,
   *   the connection broke, it timed out): Teams may or may not have created the thread.
   * - Before every post the intent (its time) is recorded on the ticket; a Teams error answer clears it (nothing was
   *   posted); a success records the thread and activity id. A card this process posted whose bookkeeping failed is
   *   remembered here and only recorded by the retry.
   * - A retry that finds an intent without a recorded card reads the channel back (Graph, `channelPosts`) for the
   *   bot's root message whose card refreshes for this ticket (the marker the bot writes on every card) and records
   *   it. It posts again only when that read says there is none AND the intent is older than POST_SETTLE_MS: every
   *   post request is aborted after POST_TIMEOUT_MS, so by then no request of that intent can still create a thread,
   *   and Graph lists a created one well within it. Then it records a new intent and posts.
   * - Without a read-back (no credentials, no group id, Graph refusing or down) "none" is not known: it does not
   *   post, logs an error, and the outbox tries the read-back again later (the ticket stays listed by `tickets`).
   * The outbox's claim keeps two instances from running this for one ticket at once.
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
    const team = await this.team.get();
    if (!team) throw new DeliveryError('helpdesk channel unknown: install the bot in the HELPDESK_TEAM_ID team');
    if (ticket.channelPostStartedAt && (await this.reconcile(ticket, team, ticket.channelPostStartedAt))) return;
    let message: { conversationId: string; activityId: string };
    try {
      const incidentThread = await this.incidentThread(ticket);
      // The intent, recorded just before the request: a failure before this point leaves nothing in doubt.
      const intent = () => this.tickets.annotate(ticket.id, { channelPostStartedAt: new Date().toISOString() });
      const card = (context: TurnContext) => this.cardFor(context, ticket, team);
      message = incidentThread ? await this.reply(team, incidentThread, card, intent) : await this.newThread(team, card, intent);
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

  /**
   * A post was under way without its answer: records the card if the channel has it (true), or says a new post
   * may be made (false: the channel was read and has none, and the intent has settled). Otherwise throws, to be
   * retried: still settling, or the channel cannot be read.
   */
  private async reconcile(ticket: Ticket, team: HelpdeskTeam, startedAt: string): Promise<boolean> {
    if (!this.channelPosts) {
      log('error', 'ticket card: a post was under way without its answer and the channel cannot be read back; not posting a second card', {
        ticket: ticket.id,
        since: startedAt,
      });
      throw new DeliveryError('ticket card in doubt: no read-back of the helpdesk channel');
    }
    let found: Awaited<ReturnType<ChannelPosts['find']>>;
    try {
      found = await this.channelPosts.find(team, ticket.id, new Date(startedAt), await this.incidentThread(ticket));
    } catch (err) {
      log('error', 'ticket card: a post was under way without its answer; reading the channel back failed, will try again', {
        ticket: ticket.id,
        error: (err as Error).message,
      });
      throw new DeliveryError(`ticket card in doubt: ${(err as Error).message}`);
    }
    if (found) {
      await this.tickets.annotate(ticket.id, { channelMessage: found });
      log('info', 'ticket card found in the helpdesk channel after an unanswered post; recorded, not posted again', { ticket: ticket.id });
      return true;
    }
    const wait = Date.parse(startedAt) + this.postSettleMs - Date.now();
    if (wait > 0) throw new DeliveryError('ticket card in doubt: not in the channel yet, checking again', { retryAfterMs: wait });
    log('warn', 'ticket card: an unanswered post never reached the channel; posting it', { ticket: ticket.id });
    return false;
  }

  /**
   * A new thread in the helpdesk channel starting with the card `card` builds; its conversation and activity ids.
   * Sent once (no retry by the HTTP pipeline): if its answer is lost, the caller's reconcile decides. `beforeSend`
   * runs just before the request (a ticket records its intent there).
   */
  private async newThread(
    team: HelpdeskTeam,
    card: (context: TurnContext) => Promise<ReturnType<typeof CardFactory.adaptiveCard>>,
    beforeSend?: () => Promise<unknown>,
  ): Promise<{ conversationId: string; activityId: string }> {
    let message: { conversationId: string; activityId: string } | undefined;
    await this.proactive.run(channelReference(team, team.channelId), async (context) => {
      const client = singleAttemptClient(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey), team.serviceUrl);
      const attachment = await card(context);
      await beforeSend?.();
      const created = await client.conversations.createConversation(
        {
          isGroup: true,
          bot: { id: team.botId, name: '' },
          channelData: { channel: { id: team.channelId }, ...(team.tenantId ? { tenant: { id: team.tenantId } } : {}) },
          activity: { type: 'message', attachments: [attachment] } as never,
          ...(team.tenantId ? { tenantId: team.tenantId } : {}),
        } as never,
        { abortSignal: AbortSignal.timeout(POST_TIMEOUT_MS) as never },
      );
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

  /** A reply in a thread of the helpdesk channel, sent once like a new thread; its conversation and activity ids. */
  private async reply(
    team: HelpdeskTeam,
    conversationId: string,
    card: (context: TurnContext) => Promise<ReturnType<typeof CardFactory.adaptiveCard>>,
    beforeSend?: () => Promise<unknown>,
  ): Promise<{ conversationId: string; activityId: string }> {
    let activityId = '';
    await this.proactive.run(channelReference(team, conversationId), async (context) => {
      const client = singleAttemptClient(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey), team.serviceUrl);
      const attachment = await card(context);
      await beforeSend?.();
      const sent = await client.conversations.sendToConversation(conversationId, { type: 'message', attachments: [attachment] } as never, {
        abortSignal: AbortSignal.timeout(POST_TIMEOUT_MS) as never,
      });
      activityId = sent?.id ?? '';
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

  /** Tells the requester about the change made at the delivery's version (who, and the note), in their language. */
  private async notifyUser(d: Delivery): Promise<void> {
    const ticket = await this.ticket(d);
    const t = translator(ticket.requester.locale);
    // The change at that version (one history entry per version); a different one there means that version was
    // another agent's change, and this notification's change was never written.
    const change = d.version ? ticket.history[d.version - 1] : undefined;
    const status = d.event === 'reopened' ? 'open' : d.event;
    if (d.version && change?.status !== status)
      throw new DeliveryError(`ticket ${ticket.id} version ${d.version} is not "${d.event}"`, { drop: true });
    const agent = change?.by?.name ?? ticket.resolution?.by.name ?? ticket.assignee?.name ?? '';
    const note = change?.note ?? ticket.resolution?.note ?? '';
    const text =
      d.event === 'assigned'
        ? t('escalation.assigned', { id: ticket.id, agent })
        : d.event === 'resolved'
          ? t('escalation.resolved', { id: ticket.id, agent, note })
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
      // A change without its own event (released, the requester's word) is an update; the ticket says what it is now.
      event: d.event ?? ((d.version ?? 1) > 1 ? 'updated' : 'created'),
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
