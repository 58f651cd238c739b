import { ConfigError, loadDotEnv, readConfig } from '../bot/config';
import { startTelemetry } from '../bot/telemetry';
import type { createApp as CreateApp } from './app';
import { log, routeLibraryOutputToLog } from '../core/log';

function main(): void {
  routeLibraryOutputToLog();
  loadDotEnv();
  let config;
  try {
    config = readConfig();
  } catch (err) {
    process.stderr.write(`Configuration error: ${(err as Error).message}\n`);
    process.exit(1);
  }
  // Telemetry first (when configured): its HTTP and Azure SDK instrumentation must be in place before they load.
  const telemetry = startTelemetry(config.applicationInsightsConnectionString);
  let app;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp } = require('./app') as { createApp: typeof CreateApp };
    app = createApp(config);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? 'Configuration error' : 'Startup failed'}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const { server, runtime } = app;
  runtime.startDelivery();
  server.listen(config.port, () => {
    const auth = config.appId ? 'on (MicrosoftAppId set)' : 'off (no MicrosoftAppId: local use, e.g. the Microsoft 365 Agents Playground)';
    log('info', 'bot listening', { url: `http://localhost:${config.port}/api/messages`, storage: config.storage, authentication: auth });
    process.stdout.write(`Bot ready on http://localhost:${config.port}/api/messages (authentication ${auth}, storage ${config.storage})\n`);
  });
  const stop = (): void => {
    log('info', 'shutting down: no new requests, finishing deliveries');
    server.close(() => {
      runtime
        .stop()
        .then(() => telemetry.stop())
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('unhandledRejection', (reason) => log('error', 'unhandled rejection', { error: String(reason) }));
}

main();
