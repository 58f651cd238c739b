import { format } from 'util';
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

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  logger[level](fields, msg);
}

/** PEM blocks (botbuilder prints the public key it checked a bad token against) are never logged. */
const redact = (text: string): string =>
  text.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '[key omitted]').slice(0, 2000);

/**
 * Libraries write to the console and Node prints warnings (botbuilder prints every rejected token and the key it was checked against): in
 * the server process that output becomes log lines like any other, JSON on stderr, without keys, so stdout carries
 * nothing but the start-up line and stderr nothing but JSON.
 */
export function routeLibraryOutputToLog(): void {
  const to =
    (level: Level) =>
    (...args: unknown[]): void =>
      log(level, 'library output', { output: redact(format(...args)) });
  console.log = to('info');
  console.info = to('info');
  console.debug = to('debug');
  console.warn = to('warn');
  // A library's console.error is about a request it refused (a bad token), not a fault of the bot.
  console.error = to('warn');
  console.trace = to('debug');
  // Node's own warnings (a dependency using a deprecated API) likewise, instead of plain text on stderr.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log('warn', 'node warning', { name: warning.name, output: redact(warning.message) }));
}
