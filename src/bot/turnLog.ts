import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { TurnContext } from 'botbuilder';
import { log } from '../core/log';
import { Metrics } from './metrics';

const CORRELATION_ID = Symbol('correlationId');

/** The correlation id of this turn (set by turnLog), or a fresh one for a turn that has none. */
export function correlationIdOf(context: TurnContext): string {
  return (context.turnState.get(CORRELATION_ID) as string | undefined) ?? randomUUID().slice(0, 8);
}

/** One correlation id per turn, in every log line of the turn, one log line and metric per turn; no message text. */
export function turnLog(metrics: Metrics): (context: TurnContext, next: () => Promise<void>) => Promise<void> {
  return async (context, next) => {
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
  };
}
