import * as restify from 'restify';
import type { Activity } from 'botbuilder';
import { BotConfig } from '../bot/config';
import { BotRuntime, createBot } from '../bot';
import { registerItsmRoutes } from './itsm';
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

  server.get('/metrics', (_req, res, next) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.sendRaw(200, runtime.metrics.render());
    next();
  });

  server.post('/api/messages', async (req, res) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: `Not a valid Bot Framework activity: ${problem}.` });
      return;
    }
    try {
      const { status, body } = await runtime.adapter.processIncoming(req.body as Activity, req.header('authorization', ''), (context) =>
        runtime.bot.run(context),
      );
      res.send(status, body);
    } catch (err) {
      // Not the bot's logic (its errors are answered in the chat, see onTurnError): e.g. no credentials for the reply.
      log('error', 'activity could not be processed', { error: (err as Error).message });
      if (!res.headersSent) res.send(500, { error: 'The activity could not be processed.' });
    }
  });

  registerItsmRoutes(server, config, runtime);

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // Malformed JSON (400) and bodies over the limit (413) keep restify's status, with a clear message.
    log('warn', 'request rejected', { status: err.statusCode, path: req.path(), error: err.message });
    return cb();
  });
  return { server, runtime };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const hasId = (v: unknown): boolean => isObject(v) && typeof v.id === 'string' && v.id.length > 0;

/** What makes a request body unusable as an activity (before any state is touched), or undefined when it is fine. */
export function activityProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  if (typeof body.type !== 'string' || !body.type) return 'missing "type"';
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl)) return 'missing or invalid "serviceUrl"';
  if (!hasId(body.conversation)) return 'missing "conversation.id"';
  if (!hasId(body.from)) return 'missing "from.id"';
  if (!hasId(body.recipient)) return 'missing "recipient.id"';
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string') return '"text" must be a string';
  if (body.locale !== undefined && body.locale !== null && typeof body.locale !== 'string') return '"locale" must be a string';
  if (body.entities !== undefined && !Array.isArray(body.entities)) return '"entities" must be an array';
  if (body.attachments !== undefined && !Array.isArray(body.attachments)) return '"attachments" must be an array';
  if (body.type === 'invoke' && !isObject(body.value)) return 'an invoke needs a "value" object';
  if (body.channelData !== undefined && body.channelData !== null && !isObject(body.channelData)) return '"channelData" must be an object';
  if (body.id !== undefined && body.id !== null && typeof body.id !== 'string') return '"id" must be a string';
  return undefined;
}
