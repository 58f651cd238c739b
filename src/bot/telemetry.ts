/* eslint-disable @typescript-eslint/no-require-imports -- OpenTelemetry is loaded only when telemetry is on */
import type { Span } from '@opentelemetry/api';
import type { Middleware, Storage, StoreItems, TurnContext } from 'botbuilder';

/**
 * Application Insights through the Azure Monitor OpenTelemetry distro, on when APPLICATIONINSIGHTS_CONNECTION_STRING
 * is set. Off, nothing of OpenTelemetry or the Azure Monitor SDK is loaded and the turn pays nothing.
 *
 * What goes there: one span per turn ("bot turn") carrying the turn's correlation id (the one in the logs and in the
 * error message a user sees), the activity type and name, the channel and the outcome; a child span per storage
 * call; the incoming HTTP requests and the Azure SDK's calls (the distro's instrumentations); a turn counter and a
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
