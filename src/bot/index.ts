import { ConfigurationBotFrameworkAuthenticationOptions, ShowTypingMiddleware, Storage } from 'botbuilder';
import { Outbox } from '../core/escalation/outbox';
import { IncidentStore } from '../core/escalation/incident';
import { ActiveIncident, Incidents } from '../core/escalation/incidents';
import { EscalationService } from '../core/escalation/service';
import { TicketStore } from '../core/escalation/ticketStore';
import { Leases } from '../core/lease';
import { SymptomRecognizer } from '../core/nlu/recognizer';
import { log } from '../core/log';
import { BotCloudAdapter, ChannelAuthentication } from './adapter';
import { BotConfig } from './config';
import { leasePerConversation, serializePerConversation } from './conversationTurns';
import { createStorage } from './createStorage';
import {
  Deliveries,
  Helpdesk,
  HelpdeskTeamReference,
  isProactiveTurn,
  ProactiveTurns,
  Roster,
  TicketActions,
  UserReferences,
} from './helpdesk/index';
import { PersonalData } from './personalData';
import { Retention } from '../core/retention';
import { botCredentials, createGraphEvidence } from './graph';
import { TokenProvider } from './graph/client';
import { GraphChannelPosts } from './helpdesk/channelPosts';
import { Metrics } from './metrics';
import { GuardedConversationState, LightUserState } from './state';
import { tenantFilter } from './tenantFilter';
import { EnrollmentBot } from './teamsBot';
import { turnError } from './turnError';
import { turnSpans, withDeliverySpans, withEscalationSpans } from './telemetry';
import { correlationIdOf, turnLog } from './turnLog';

export { BotCloudAdapter } from './adapter';
export { leasePerConversation, serializePerConversation } from './conversationTurns';
export { createStorage } from './createStorage';

export interface BotRuntime {
  adapter: BotCloudAdapter;
  bot: EnrollmentBot;
  storage: Storage;
  recognizer: SymptomRecognizer;
  escalation: EscalationService;
  helpdesk: Helpdesk;
  retention: Retention;
  personalData: PersonalData;
  metrics: Metrics;
  incidents: Incidents;
  /**
   * Checks the helpdesk tenant's Apple MDM push certificate and ADE tokens (GRAPH_EVIDENCE) and reports what
   * expires within 30 days or has expired; startDelivery runs it hourly. Safe on every instance at once.
   */
  sweepIncidents(): Promise<ActiveIncident[]>;
  /** Delivers what the outbox holds now, and keeps retrying on a timer until stop(). */
  startDelivery(intervalMs?: number): void;
  /** Stops the retry timer and waits for a last delivery pass. */
  stop(): Promise<void>;
}

/** What a test (or a host) may set instead of the defaults taken from the configuration. */
export interface BotOptions {
  /** The bot's Graph token per tenant, to read the helpdesk channel back (default: the bot's own identity). */
  graphCredential?: (tenantId: string | undefined) => TokenProvider | undefined;
  /** How long an unanswered ticket card post is given before the channel's "none" is trusted (POST_SETTLE_MS). */
  postSettleMs?: number;
}

/** Wires storage, state, the recognizer, the adapter (authentication from the environment) and the bot. */
export function createBot(config: BotConfig, storage = createStorage(config), options: BotOptions = {}): BotRuntime {
  const recognizer = SymptomRecognizer.load();
  const auth = new ChannelAuthentication(config.authEnv as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new BotCloudAdapter(auth);
  const metrics = new Metrics();
  adapter.use(turnLog(metrics));
  adapter.use(...turnSpans(config, correlationIdOf));
  adapter.use(serializePerConversation());
  if (config.conversationLease) adapter.use(leasePerConversation(new Leases(storage)));
  adapter.use(new ShowTypingMiddleware(1000, 3000));
  adapter.use(tenantFilter(config.allowedTenantIds, (context) => adapter.isIncoming(context)));
  adapter.onTurnError = turnError(metrics, isProactiveTurn);
  // Escalation: the delivery handlers are built first and given to the outbox, which drains on every enqueue.
  const tickets = new TicketStore(storage);
  const proactive = new ProactiveTurns(adapter, config.appId);
  const team = new HelpdeskTeamReference(config, storage);
  const roster = config.helpdeskTeamId ? new Roster(config.helpdeskTeamId) : undefined;
  const incidentStore = new IncidentStore(storage);
  // Reading the channel back needs the bot's identity (MicrosoftAppId): without it a post left unanswered is not repeated.
  const channelPosts =
    options.graphCredential || config.appId
      ? new GraphChannelPosts(config.graphEndpoint, options.graphCredential ?? botCredentials(config))
      : undefined;
  const deliveries = new Deliveries(config, tickets, team, proactive, roster, incidentStore, channelPosts, options.postSettleMs);
  const outbox = new Outbox(storage, withDeliverySpans(config, deliveries.handlers()), {
    baseDelayMs: config.deliveryRetryBaseMs,
    onError: (d, err) => {
      metrics.deliveryFailed(d.kind);
      log('warn', 'delivery failed, will retry', { kind: d.kind, ticket: d.ticketId, attempt: d.attempts + 1, error: err.message });
    },
    onDrop: (d, err) => {
      metrics.deliveryFailed(d.kind);
      log('error', 'delivery given up', { kind: d.kind, ticket: d.ticketId, attempts: d.attempts, error: err.message });
    },
    onDrainError: (err) => log('error', 'outbox drain failed', { error: err.message }),
  });
  const escalation = withEscalationSpans(config, new EscalationService(tickets, outbox, { handoffEvent: config.handoffEvent }));
  const users = new UserReferences(storage, proactive);
  const helpdesk = new Helpdesk(team, roster, users, new TicketActions(config, escalation, roster, team), outbox);
  const retention = new Retention(storage, tickets, { days: config.retentionDays });
  const personalData = new PersonalData(retention, users);
  adapter.use(personalData.middleware());
  const drain = (): void => outbox.kick();
  const flushRetention = (): void => {
    retention.flush().catch((err: Error) => log('warn', 'retention: could not note used items, will retry', { error: err.message }));
  };
  const sweepRetention = (): void => {
    retention
      .sweep()
      .then((r) => (r.items || r.tickets) && log('info', 'retention sweep', { ...r }))
      .catch((err: Error) => log('error', 'retention sweep failed', { error: err.message }));
  };
  const bot = new EnrollmentBot(
    new GuardedConversationState(storage),
    new LightUserState(storage),
    recognizer,
    config,
    escalation,
    helpdesk,
    metrics,
    personalData,
  );
  bot.services.evidence = createGraphEvidence(config, log);
  const incidents = new Incidents(incidentStore, outbox);
  bot.services.incidents = incidents;
  const sweepIncidents = async (): Promise<ActiveIncident[]> => {
    const source = bot.services.evidence;
    if (!source?.tenantChecks) return [];
    const tenantId = (await team.get())?.tenantId ?? config.authEnv.MicrosoftAppTenantId;
    if (!tenantId) return [];
    const found = await incidents.report(await source.tenantChecks(tenantId), tenantId);
    if (found.length) log('info', 'incident sweep', { incidents: found.map((i) => `${i.id}:${i.stage}`) });
    return found;
  };
  const sweepIncidentsInBackground = (): void => {
    sweepIncidents().catch((err: Error) => log('error', 'incident sweep failed', { error: err.message }));
  };
  const timers: NodeJS.Timeout[] = [];
  return {
    adapter,
    bot,
    storage,
    recognizer,
    escalation,
    helpdesk,
    retention,
    personalData,
    metrics,
    incidents,
    sweepIncidents,
    startDelivery(intervalMs = 2000) {
      drain();
      if (timers.length) return;
      timers.push(
        setInterval(drain, intervalMs),
        setInterval(flushRetention, 10_000),
        setInterval(sweepRetention, 60 * 60 * 1000),
        // The first sweep a minute after start (not during it), then hourly: an expiry is days away, and a turn
        // whose evidence finds one reports it at once.
        setTimeout(sweepIncidentsInBackground, 60_000),
        setInterval(sweepIncidentsInBackground, 60 * 60 * 1000),
      );
      for (const t of timers) t.unref();
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      await outbox.drain().catch(() => 0);
      await retention.flush().catch(() => undefined);
    },
  };
}

/** Escalation without a helpdesk connection (terminal chat, dialog tests): tickets are stored, nothing is delivered. */
export function localEscalation(storage: Storage): EscalationService {
  return new EscalationService(new TicketStore(storage), new Outbox(storage, {}));
}
