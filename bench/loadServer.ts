/**
 * Child process of the load benchmark: `node dist/bench/loadServer.js ours|echo <port>`.
 * "ours" is the real bot (createApp, memory storage); "echo" is a minimal bot on the same restify + CloudAdapter
 * stack, the ceiling of the stack itself. Prints "ready" when listening.
 */
import * as restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { readConfig } from '../src/bot/config';
import { createApp } from '../src/server/app';

const [mode = 'ours', port = '0'] = process.argv.slice(2);

function echoServer(): restify.Server {
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

function ourServer(): restify.Server {
  // The escalation phase names a helpdesk team (HELPDESK_TEAM_ID), so tickets are delivered as in production.
  const helpdesk = process.env.HELPDESK_TEAM_ID ? { HELPDESK_TEAM_ID: process.env.HELPDESK_TEAM_ID } : {};
  const app = createApp(readConfig({ STORAGE: 'memory', PORT: port, LOG_LEVEL: 'warn', ...helpdesk }));
  app.runtime.startDelivery();
  return app.server;
}

const server = mode === 'echo' ? echoServer() : ourServer();
server.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`ready ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
