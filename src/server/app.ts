import * as restify from 'restify';
import { BotConfig } from '../bot/config';
import { BotRuntime, createBot } from '../bot';
import { log } from './log';

export interface App {
  server: restify.Server;
  runtime: BotRuntime;
}

/** The HTTP surface: POST /api/messages (Bot Framework) and GET /healthz. */
export function createApp(config: BotConfig, runtime: BotRuntime = createBot(config)): App {
  const server = restify.createServer({ name: 'intune-ios-enrollment-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false, rejectUnknown: false }));

  server.get('/healthz', async (_req, res) => {
    try {
      await runtime.storage.read(['healthz']);
      res.send(200, { status: 'ok', locales: runtime.recognizer.locales });
    } catch (err) {
      log('error', 'health check: storage unreachable', { error: (err as Error).message });
      res.send(503, { status: 'storage unavailable' });
    }
  });

  server.post('/api/messages', async (req, res) => {
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'The body must be a Bot Framework activity: a JSON object with a "type".' });
      return;
    }
    try {
      await runtime.adapter.process(req, res, (context) => runtime.bot.run(context));
    } catch (err) {
      log('warn', 'rejected activity', { error: (err as Error).message });
      if (!res.headersSent) res.send(400, { error: 'The activity is not valid.' });
    }
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // Malformed JSON (400) and bodies over the limit (413) keep restify's status, with a clear message.
    log('warn', 'request rejected', { status: err.statusCode, path: req.path(), error: err.message });
    return cb();
  });
  return { server, runtime };
}
