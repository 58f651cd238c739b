/* eslint-disable @typescript-eslint/no-require-imports -- the bot's modules load after telemetry starts, as in src/server */
/**
 * Child process of the load benchmark: `node dist/bench/loadServer.js ours|echo <port>`.
 * "ours" is the real bot (createApp, memory storage); "echo" is a minimal bot on the same restify + CloudAdapter
 * stack, the ceiling of the stack itself. Prints "ready" when listening. With APPLICATIONINSIGHTS_CONNECTION_STRING
 * (the telemetry phase), ours starts telemetry before anything else loads, as src/server/index.ts does, and
 * exports what it still holds when told to stop. With BENCH_GRAPH_ENDPOINT (the evidence phase), GRAPH_EVIDENCE is on
 * against that fake Graph, with the bench's token instead of a Microsoft Entra sign-in.
 */
import type * as Restify from 'restify';
import type * as Botbuilder from 'botbuilder';
import type * as Config from '../src/bot/config';
import type * as App from '../src/server/app';
import type * as TelemetryModule from '../src/bot/telemetry';
import type * as Graph from '../src/bot/graph';
import type * as Log from '../src/core/log';

const [mode = 'ours', port = '0'] = process.argv.slice(2);
let telemetry: TelemetryModule.Telemetry | undefined;

function echoServer(): Restify.Server {
  const restify = require('restify') as typeof Restify;
  const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder') as typeof Botbuilder;
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    });
  });
  return server;
}

function ourServer(): Restify.Server {
  const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  telemetry = (require('../src/bot/telemetry') as typeof TelemetryModule).startTelemetry(connectionString);
  const { readConfig } = require('../src/bot/config') as typeof Config;
  const { createApp } = require('../src/server/app') as typeof App;
  // The escalation phase names a helpdesk team (HELPDESK_TEAM_ID), so tickets are delivered as in production.
  const helpdesk = process.env.HELPDESK_TEAM_ID ? { HELPDESK_TEAM_ID: process.env.HELPDESK_TEAM_ID } : {};
  const appInsights = connectionString ? { APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString } : {};
  const graphEndpoint = process.env.BENCH_GRAPH_ENDPOINT;
  const graph = graphEndpoint ? { GRAPH_EVIDENCE: 'on', GRAPH_ENDPOINT: graphEndpoint } : {};
  // The bound on turns in progress, when the run sets one (MAX_CONCURRENT_TURNS): else the product's default.
  const admission = Object.fromEntries(
    ['MAX_CONCURRENT_TURNS', 'MAX_TURN_WAIT_MS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]),
  );
  const config = readConfig({ STORAGE: 'memory', PORT: port, LOG_LEVEL: 'warn', ...helpdesk, ...appInsights, ...graph, ...admission });
  const app = createApp(config);
  if (graphEndpoint) {
    const { createGraphEvidence } = require('../src/bot/graph') as typeof Graph;
    const { log } = require('../src/core/log') as typeof Log;
    const { BENCH_GRAPH_TOKEN } = require('./evidence') as typeof import('./evidence');
    const token = { token: BENCH_GRAPH_TOKEN, expiresOnTimestamp: Date.now() + 24 * 3600_000 };
    app.runtime.bot.services.evidence = createGraphEvidence(config, log, {
      credentialFor: () => ({ getToken: () => Promise.resolve(token) }),
    });
  }
  app.runtime.startDelivery();
  return app.server;
}

const server = mode === 'echo' ? echoServer() : ourServer();
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => {
  void (telemetry?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
