import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { AuthenticateRequestResult, AuthenticationError, ClaimsIdentity, ConnectorFactory, UserTokenClient } from 'botframework-connector';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import {
  Activity,
  StatusCodes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  MemoryStorage,
  ShowTypingMiddleware,
  Storage,
  TurnContext,
} from 'botbuilder';
import { Outbox } from '../core/escalation/outbox';
import { EscalationService } from '../core/escalation/service';
import { TicketStore } from '../core/escalation/ticketStore';
import { translator, resolveLocale } from '../core/knowledge/locales';
import { Leases } from '../core/lease';
import { SymptomRecognizer } from '../core/nlu/recognizer';
import { log } from '../server/log';
import type { RecoveringBlobsStorage } from './blobStorage';
import { BotConfig, ConfigError } from './config';
import { FileStorage } from './fileStorage';
import { ResilientStorage, StorageUnavailableError } from './resilientStorage';
import { ConnectorClients } from './connectors';
import { createGraphEvidence } from './graph';
import { Helpdesk } from './helpdesk';
import { Metrics } from './metrics';
import { GuardedConversationState, LightUserState } from './state';
import { EnrollmentBot } from './teamsBot';

const CORRELATION_ID = Symbol('correlationId');

/**
 * The bot's authentication, from the environment, with two changes:
 * - botbuilder 4.23 turns only its own checks and expired tokens into 401; other token errors (a bad signature,
 *   "alg": "none", a token not valid yet) escape and CloudAdapter answers 500. Every invalid token is a 401.
 * - The Bot Connector clients are kept between turns (ConnectorClients) instead of being built for every activity.
 */
class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ConnectorClients();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      const factory = result.connectorFactory;
      return factory ? { ...result, connectorFactory: this.clients.factory(factory, result.claimsIdentity) } : result;
    } catch (err) {
      if (err instanceof Error && ['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError'].includes(err.name)) {
        throw new AuthenticationError(`Unauthorized. Invalid token: ${err.message}`, StatusCodes.UNAUTHORIZED);
      }
      throw err;
    }
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.clients.factory(super.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.clients.userTokenClient(claimsIdentity, () => super.createUserTokenClient(claimsIdentity));
  }
}

/**
 * CloudAdapter, with an entry point for an activity the server already parsed and checked (activityProblem).
 * CloudAdapter.process checks the request again with zod schemas (the response object, the handler, the whole body)
 * before running the same processActivity: about 2% of a turn's CPU, for checks already made.
 */
export class BotCloudAdapter extends CloudAdapter {
  /** Authenticates and runs the turn of one incoming activity; the HTTP status (and invoke body) to answer with. */
  async processIncoming(
    activity: Activity,
    authHeader: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<{ status: number; body?: unknown }> {
    try {
      const invokeResponse = await this.processActivity(authHeader, validateAndFixActivity(activity), logic);
      return { status: invokeResponse?.status ?? StatusCodes.OK, body: invokeResponse?.body };
    } catch (err) {
      if (err instanceof AuthenticationError) {
        log('warn', 'request refused: not authenticated', { error: err.message });
        return { status: StatusCodes.UNAUTHORIZED, body: { error: err.message } };
      }
      throw err;
    }
  }
}

export function createStorage(config: BotConfig): Storage {
  switch (config.storage) {
    case 'memory':
      return new MemoryStorage();
    case 'file':
      return new ResilientStorage(new FileStorage(config.storageDir));
    case 'blob': {
      if (!config.azureStorageConnectionString) throw new ConfigError('STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING');
      // Loaded only when used: the Azure SDK adds about 20 MB to every process that merely requires it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { RecoveringBlobsStorage: Blobs } = require('./blobStorage') as { RecoveringBlobsStorage: typeof RecoveringBlobsStorage };
      return new ResilientStorage(new Blobs(config.azureStorageConnectionString, config.azureStorageContainer));
    }
  }
}

export interface BotRuntime {
  adapter: BotCloudAdapter;
  bot: EnrollmentBot;
  storage: Storage;
  recognizer: SymptomRecognizer;
  escalation: EscalationService;
  helpdesk: Helpdesk;
  metrics: Metrics;
  /** Delivers what the outbox holds now, and keeps retrying on a timer until stop(). */
  startDelivery(intervalMs?: number): void;
  /** Stops the retry timer and waits for a last delivery pass. */
  stop(): Promise<void>;
}

/** Wires storage, state, the recognizer, the adapter (authentication from the environment) and the bot. */
export function createBot(config: BotConfig, storage = createStorage(config)): BotRuntime {
  const recognizer = SymptomRecognizer.load();
  const auth = new ChannelAuthentication(config.authEnv as ConfigurationBotFrameworkAuthenticationOptions);
  const adapter = new BotCloudAdapter(auth);
  const metrics = new Metrics();
  adapter.use(async (context, next) => {
    // One correlation id per turn, in every log line of the turn; no message text at info level.
    const correlationId = randomUUID().slice(0, 8);
    context.turnState.set(CORRELATION_ID, correlationId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      metrics.turn(context.activity.type ?? 'unknown', ms);
      log('info', 'turn', { correlationId, type: context.activity.type, name: context.activity.name, ms: Math.round(ms * 10) / 10 });
    }
  });
  adapter.use(serializePerConversation());
  if (config.conversationLease) adapter.use(leasePerConversation(new Leases(storage)));
  adapter.use(new ShowTypingMiddleware(1000, 3000));
  adapter.use(async (context, next) => {
    // Proactive turns (deliveries to the helpdesk channel and to users) are the bot's own, not incoming traffic.
    const proactive =
      context.activity.type === 'event' && ['ContinueConversation', 'CreateConversation'].includes(context.activity.name ?? '');
    if (config.allowedTenantIds.length > 0 && !proactive) {
      const tenant = tenantOf(context);
      if (!tenant || !config.allowedTenantIds.includes(tenant)) {
        log('warn', 'activity from a tenant that is not allowed: ignored', { tenant: tenant ?? null, type: context.activity.type });
        return;
      }
    }
    await next();
  });
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    metrics.turnError();
    const correlationId = (context.turnState.get(CORRELATION_ID) as string | undefined) ?? randomUUID().slice(0, 8);
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
  const handlers: ConstructorParameters<typeof Outbox>[1] = {};
  const outbox = new Outbox(storage, handlers, {
    baseDelayMs: config.deliveryRetryBaseMs,
    onError: (d, err) =>
      log('warn', 'delivery failed, will retry', { kind: d.kind, ticket: d.ticketId, attempt: d.attempts + 1, error: err.message }),
  });
  const escalation = new EscalationService(new TicketStore(storage), outbox, { handoffEvent: config.handoffEvent });
  const helpdesk = new Helpdesk(adapter, config, storage, escalation);
  Object.assign(handlers, helpdesk.handlers());
  const drain = (): void => {
    outbox.drain().catch((err: Error) => log('error', 'outbox drain failed', { error: err.message }));
  };
  helpdesk.afterChange = drain;
  const bot = new EnrollmentBot(
    new GuardedConversationState(storage),
    new LightUserState(storage),
    recognizer,
    config,
    escalation,
    helpdesk,
    metrics,
  );
  bot.services.evidence = createGraphEvidence(config, log);
  let timer: NodeJS.Timeout | undefined;
  return {
    adapter,
    bot,
    storage,
    recognizer,
    escalation,
    helpdesk,
    metrics,
    startDelivery(intervalMs = 2000) {
      drain();
      timer ??= setInterval(drain, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await outbox.drain().catch(() => 0);
    },
  };
}

function tenantOf(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: string } } | undefined;
  return channelData?.tenant?.id ?? context.activity.conversation?.tenantId;
}

/** Escalation without a helpdesk connection (terminal chat, dialog tests): tickets are stored, nothing is delivered. */
export function localEscalation(storage: Storage): EscalationService {
  return new EscalationService(new TicketStore(storage), new Outbox(storage, {}));
}

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
