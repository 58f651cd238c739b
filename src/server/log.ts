import pino from 'pino';

/**
 * Structured JSON logs (pino) on stderr, so stdout stays free for the CLIs. Message text and personal data are
 * never logged at info level: turns are logged with ids, types, intents and timings only.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';

export const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
  pino.destination({ dest: 2, sync: true }),
);

export function setLogLevel(level: Level): void {
  logger.level = level;
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  logger[level](fields, msg);
}
