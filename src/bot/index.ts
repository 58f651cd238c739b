import { ConfigurationBotFrameworkAuthenticationOptions, ShowTypingMiddleware, Storage } from 'botbuilder';
import { Outbox } from '../core/escalation/outbox';
import { EscalationService } from '../core/escalation/service';
import { TicketStore } from '../core/escalation/ticketStore';
import { Leases } from '../core/lease';
import { SymptomRecognizer } from '../core/nlu/recognizer';
import { log } from '../server/log';
import { BotCloudAdapter, ChannelAuthentication } from './adapter';
import { BotConfig } from './config';
import { leasePerConversation, serializePerConversation } from './conversationTurns';
import { createStorage } from './createStorage';
import { Helpdesk } from './helpdesk';
import { Metrics } from './metrics';
import { GuardedConversationState, LightUserState } from './state';
import { tenantFilter } from './tenantFilter';
import { EnrollmentBot } from './teamsBot';
import { turnError } from './turnError';
import { turnSpans } from './telemetry';
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
  adapter.use(turnLog(metrics));
  adapter.use(...turnSpans(config, correlationIdOf));
  adapter.use(serializePerConversation());
  if (config.conversationLease) adapter.use(leasePerConversation(new Leases(storage)));
  adapter.use(new ShowTypingMiddleware(1000, 3000));
  adapter.use(tenantFilter(config.allowedTenantIds, (context) => adapter.isIncoming(context)));
  adapter.onTurnError = turnError(metrics);
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

/** Escalation without a helpdesk connection (terminal chat, dialog tests): tickets are stored, nothing is delivered. */
export function localEscalation(storage: Storage): EscalationService {
  return new EscalationService(new TicketStore(storage), new Outbox(storage, {}));
}
