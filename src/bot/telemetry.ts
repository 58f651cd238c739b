/* eslint-disable @typescript-eslint/no-require-imports -- OpenTelemetry is loaded only when telemetry is on */
import type { Span } from '@opentelemetry/api';
import type { Middleware, Storage, StoreItems, TurnContext } from 'botbuilder';
import type { DeliveryError, DeliveryHandler, DeliveryKind } from '../core/escalation/outbox';
import type { EscalationService } from '../core/escalation/service';

/**
 * Application Insights through the Azure Monitor OpenTelemetry distro, on when APPLICATIONINSIGHTS_CONNECTION_STRING
 * is set. Off, nothing of OpenTelemetry or the Azure Monitor SDK is loaded and the turn pays nothing.
 *
 * What goes there: one span per turn ("bot turn") carrying the turn's correlation id (the one in the logs and in the
 * error message a user sees), the activity type and name, the channel and the outcome; a child span per storage
 * call and per ticket creation; a span of its own per outbox delivery (deliveries run outside turns); the incoming HTTP requests and the Azure SDK's calls (the distro's instrumentations); a turn counter and a
 * duration histogram; one log record per turn. Never message text, user names or card contents.
 */
export interface Telemetry {
  /** Exports what is still buffered and stops (at shutdown). */
  stop(): Promise<void>;
}

const NAME = 'intune-ios-enrollment-bot';

/** Starts the distro: call before the HTTP server and the Azure SDK are loaded, so that their calls are traced. */
export function startTelemetry(connectionString: string | undefined): Telemetry {
  if (!connectionString) return { stop: async () => undefined };
  const { useAzureMonitor, shutdownAzureMonitor } =
    require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Every turn is kept (the distro's default keeps at most 5 traces a second).
    samplingRatio: 1,
    tracesPerSecond: 0,
    instrumentationOptions: {
      http: { enabled: true },
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  });
  return { stop: () => shutdownAzureMonitor() };
}

/** The turn-span middleware when telemetry is on, none otherwise (spread into adapter.use). */
export function turnSpans(
  config: { applicationInsightsConnectionString?: string },
  correlationIdOf: (context: TurnContext) => string | undefined,
): Middleware[] {
  if (!config.applicationInsightsConnectionString) return [];
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { logs, SeverityNumber } = require('@opentelemetry/api-logs') as typeof import('@opentelemetry/api-logs');
  const tracer = api.trace.getTracer(NAME);
  const meter = api.metrics.getMeter(NAME);
  const logger = logs.getLogger(NAME);
  const turns = meter.createCounter('bot.turns', { description: 'Turns served' });
  const duration = meter.createHistogram('bot.turn.duration', { description: 'Turn duration', unit: 'ms' });
  const middleware: Middleware = {
    onTurn: (context, next) => {
      const activity = context.activity;
      const correlationId = correlationIdOf(context) ?? '';
      const attributes = {
        'bot.correlation_id': correlationId,
        'bot.activity.type': activity.type ?? 'unknown',
        'bot.activity.name': activity.name ?? '',
        'bot.channel': activity.channelId ?? '',
        'bot.conversation.type': activity.conversation?.conversationType ?? '',
      };
      return tracer.startActiveSpan('bot turn', { attributes }, async (span: Span) => {
        const started = performance.now();
        let outcome = 'ok';
        try {
          await next();
        } catch (err) {
          outcome = 'error';
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: (err as Error)?.name ?? 'Error' });
          throw err;
        } finally {
          const ms = performance.now() - started;
          span.setAttribute('bot.outcome', outcome);
          span.end();
          turns.add(1, { 'bot.activity.type': attributes['bot.activity.type'], 'bot.outcome': outcome });
          duration.record(ms, { 'bot.activity.type': attributes['bot.activity.type'] });
          logger.emit({
            severityNumber: outcome === 'ok' ? SeverityNumber.INFO : SeverityNumber.ERROR,
            severityText: outcome === 'ok' ? 'INFO' : 'ERROR',
            body: 'turn',
            attributes: { ...attributes, 'bot.outcome': outcome, 'bot.turn.ms': Math.round(ms * 10) / 10 },
          });
        }
      });
    },
  };
  return [middleware];
}

/** `storage` with a child span per call when telemetry is on (how many keys, never which); `storage` itself otherwise. */
export function withStorageSpans(config: { applicationInsightsConnectionString?: string }, storage: Storage, kind: string): Storage {
  if (!config.applicationInsightsConnectionString) return storage;
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const tracer = api.trace.getTracer(NAME);
  const traced = <T>(operation: string, keys: number, call: () => Promise<T>): Promise<T> =>
    tracer.startActiveSpan(`storage ${operation}`, { attributes: { 'bot.storage': kind, 'bot.storage.keys': keys } }, async (span) => {
      try {
        return await call();
      } catch (err) {
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: (err as Error)?.name ?? 'Error' });
        throw err;
      } finally {
        span.end();
      }
    });
  return {
    read: (keys: string[]) => traced('read', keys.length, () => storage.read(keys)),
    write: (changes: StoreItems) => traced('write', Object.keys(changes ?? {}).length, () => storage.write(changes)),
    delete: (keys: string[]) => traced('delete', keys.length, () => storage.delete(keys)),
  };
}

type Config = { applicationInsightsConnectionString?: string };

/** Why a span ended in error: the error's class name only (messages may quote what a user typed). */
const errorName = (err: unknown): string => (err as Error)?.name ?? 'Error';

/**
 * `service` with a span per ticket creation ("ticket create"), a child of the turn that escalates: the ticket id, why
 * a person was asked for, the symptom and the outcome. The domain core stays free of OpenTelemetry: the span is put
 * around its method here. `service` unchanged when telemetry is off.
 */
export function withEscalationSpans(config: Config, service: EscalationService): EscalationService {
  if (!config.applicationInsightsConnectionString) return service;
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const tracer = api.trace.getTracer(NAME);
  const create = service.create.bind(service);
  service.create = (input, now) => {
    const attributes = {
      'bot.escalation.reason': input.record.personRequested?.reason ?? '',
      'bot.symptom': input.record.symptom ?? '',
    };
    return tracer.startActiveSpan('ticket create', { attributes }, async (span) => {
      try {
        const ticket = await create(input, now);
        span.setAttributes({ 'bot.ticket.id': ticket.id, 'bot.outcome': 'ok' });
        return ticket;
      } catch (err) {
        span.setAttribute('bot.outcome', 'error');
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorName(err) });
        throw err;
      } finally {
        span.end();
      }
    });
  };
  return service;
}

/**
 * The outbox's handlers with a span per delivery ("delivery <kind>"): each the root of its own trace (a delivery runs
 * after the turn that queued it, often on a timer, and may be retried), of kind CONSUMER (work taken from a queue,
 * shown as a request in Application Insights), with the kind, the ticket id, the attempt and the outcome: delivered,
 * retry (failed: the outbox tries again while it has attempts left) or dropped (its ticket is gone, trying again
 * cannot help). Unchanged when telemetry is off.
 */
export function withDeliverySpans(
  config: Config,
  handlers: Partial<Record<DeliveryKind, DeliveryHandler>>,
): Partial<Record<DeliveryKind, DeliveryHandler>> {
  if (!config.applicationInsightsConnectionString) return handlers;
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const tracer = api.trace.getTracer(NAME);
  const traced = (kind: DeliveryKind, handler: DeliveryHandler): DeliveryHandler => {
    return (delivery) => {
      const attributes = {
        // A request's name in Application Insights (the exporter names only HTTP requests from the span).
        'ai.operation.name': `delivery ${kind}`,
        'bot.delivery.kind': kind,
        'bot.ticket.id': delivery.ticketId,
        'bot.delivery.attempt': delivery.attempts + 1,
        ...(delivery.event ? { 'bot.delivery.event': delivery.event } : {}),
      };
      return tracer.startActiveSpan(`delivery ${kind}`, { root: true, kind: api.SpanKind.CONSUMER, attributes }, async (span) => {
        try {
          await handler(delivery);
          span.setAttribute('bot.outcome', 'delivered');
        } catch (err) {
          span.setAttribute('bot.outcome', (err as DeliveryError)?.options?.drop ? 'dropped' : 'retry');
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: errorName(err) });
          throw err;
        } finally {
          span.end();
        }
      });
    };
  };
  return Object.fromEntries(Object.entries(handlers).map(([kind, handler]) => [kind, traced(kind as DeliveryKind, handler)])) as Partial<
    Record<DeliveryKind, DeliveryHandler>
  >;
}
