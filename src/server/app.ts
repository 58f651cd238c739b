import * as restify from 'restify';
import type { Activity } from 'botbuilder';
import { BotConfig } from '../bot/config';
import { BotRuntime, createBot } from '../bot';
import { TurnAdmission } from './admission';
import { readJsonBody } from './body';
import { registerItsmRoutes } from './itsm';
import { log } from '../core/log';
import { metricsAccess } from './metricsAccess';

/**
 * What a 503 for a busy bot asks the channel to wait before sending the activity again, in seconds: short, since the
 * activity goes to the back of the line again and has already waited MAX_TURN_WAIT_MS.
 */
const RETRY_AFTER_S = 2;

/** /healthz answers within this, storage or not: an orchestrator's probe must not hang on a slow storage. */
const HEALTH_TIMEOUT_MS = 1000;

export interface App {
  server: restify.Server;
  runtime: BotRuntime;
}

/**
 * The HTTP surface: POST /api/messages (Bot Framework), GET /healthz and GET /metrics. No body parser is installed:
 * /api/messages reads its own JSON body within MAX_BODY_BYTES (readJsonBody), nothing else reads a body.
 */
export function createApp(config: BotConfig, runtime: BotRuntime = createBot(config)): App {
  const server = restify.createServer({ name: 'intune-ios-enrollment-bot', handleUncaughtExceptions: false });
  const admission = new TurnAdmission(config.maxConcurrentTurns, config.maxTurnWaitMs);
  runtime.metrics.watchAdmission(admission);

  server.get('/healthz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        runtime.storage.read(['healthz']),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
        }),
      ]);
      res.send(200, { status: 'ok', locales: runtime.recognizer.locales });
    } catch (err) {
      log('error', 'health check: storage unreachable', { error: (err as Error).message });
      res.send(503, { status: 'storage unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });

  server.get('/metrics', async (req, res) => {
    const access = metricsAccess(config, req.header('authorization', ''));
    if (access === 'off') {
      res.send(404, { error: 'Not found.' });
      return;
    }
    if (access === 'unauthorized') {
      res.setHeader('www-authenticate', 'Bearer');
      res.send(401, { error: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.' });
      return;
    }
    const text = await runtime.metrics.render();
    res.setHeader('content-type', runtime.metrics.contentType);
    res.sendRaw(200, text);
  });

  // Probes and tools check that the endpoint exists with HEAD; it has nothing to say but that.
  server.head('/api/messages', (_req, res, next) => {
    res.setHeader('allow', 'POST, HEAD');
    res.send(200);
    next();
  });

  server.post('/api/messages', async (req, res) => {
    const read = await readJsonBody(req, config.maxBodyBytes);
    if (!read.ok) {
      log('warn', 'request refused', { status: read.status, path: req.path(), reason: read.error });
      // A body not read to its end is not read at all: the connection closes after the answer.
      if (!req.complete) res.setHeader('connection', 'close');
      res.send(read.status, { error: `${read.error[0]!.toUpperCase()}${read.error.slice(1)}.` });
      return;
    }
    const problem = activityProblem(read.value);
    if (problem) {
      res.send(400, { error: `Not a valid Bot Framework activity: ${problem}.` });
      return;
    }
    try {
      const turn = await admission.run(() =>
        runtime.adapter.processIncoming(read.value as Activity, req.header('authorization', ''), (context) => runtime.bot.run(context)),
      );
      if (!turn.admitted) {
        // Nothing was run: the channel sends the activity again.
        runtime.metrics.turnRefused();
        log('warn', 'request refused: too many turns in progress', { waitedMs: config.maxTurnWaitMs, queued: admission.queued });
        res.setHeader('retry-after', String(RETRY_AFTER_S));
        res.send(503, { error: 'The bot is busy: try again shortly.' });
        return;
      }
      res.send(turn.value.status, turn.value.body);
    } catch (err) {
      // Not the bot's logic (its errors are answered in the chat, see onTurnError): e.g. no credentials for the reply.
      log('error', 'activity could not be processed', { error: (err as Error).message });
      if (!res.headersSent) res.send(500, { error: 'The activity could not be processed.' });
    }
  });

  registerItsmRoutes(server, config, runtime);

  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // Routes and methods that do not exist (404, 405).
    log('warn', 'request rejected', { status: err.statusCode, path: req.path(), error: err.message });
    return cb();
  });
  return { server, runtime };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
/** Absent, null, or of the type: botbuilder copies these fields into every reply, and its serializer checks them. */
const optional = (v: unknown, type: 'string' | 'boolean'): boolean => v === undefined || v === null || typeof v === type;

/** What is wrong with a channel account (from, recipient, a member added…), or undefined. */
function accountProblem(v: unknown, label: string): string | undefined {
  if (!isObject(v) || !isNonEmptyString(v.id)) return `missing "${label}.id"`;
  for (const key of ['name', 'aadObjectId', 'role']) if (!optional(v[key], 'string')) return `"${label}.${key}" must be a string`;
  return undefined;
}

function conversationProblem(v: unknown): string | undefined {
  if (!isObject(v) || !isNonEmptyString(v.id)) return 'missing "conversation.id"';
  for (const key of ['name', 'conversationType', 'tenantId', 'aadObjectId', 'role'])
    if (!optional(v[key], 'string')) return `"conversation.${key}" must be a string`;
  if (!optional(v.isGroup, 'boolean')) return '"conversation.isGroup" must be true or false';
  return undefined;
}

function membersProblem(v: unknown, label: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return `"${label}" must be an array`;
  for (const member of v) {
    const problem = accountProblem(member, `${label}[]`);
    if (problem) return problem;
  }
  return undefined;
}

function entitiesProblem(v: unknown): string | undefined {
  // botbuilder reads the mentions of any entities that are not undefined: null is not "none".
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return '"entities" must be an array';
  for (const entity of v) {
    if (!isObject(entity) || typeof entity.type !== 'string') return 'every entity needs a "type"';
    if (entity.type === 'mention') {
      const problem = accountProblem(entity.mentioned, 'mention.mentioned');
      if (problem) return problem;
      if (!optional(entity.text, 'string')) return '"mention.text" must be a string';
    }
  }
  return undefined;
}

function channelDataProblem(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) return '"channelData" must be an object';
  for (const key of ['tenant', 'team', 'channel']) {
    const part = v[key];
    if (part === undefined || part === null) continue;
    if (!isObject(part) || !optional(part.id, 'string')) return `"channelData.${key}" must be an object with a string "id"`;
  }
  if (!optional(v.eventType, 'string')) return '"channelData.eventType" must be a string';
  return undefined;
}

function invokeProblem(body: Record<string, unknown>): string | undefined {
  if (!isObject(body.value)) return 'an invoke needs a "value" object';
  if (body.name === 'adaptiveCard/action') {
    const action = body.value.action;
    if (!isObject(action) || typeof action.type !== 'string') return 'an adaptiveCard/action invoke needs "value.action" with a "type"';
    if (!optional(action.verb, 'string')) return '"value.action.verb" must be a string';
  }
  return undefined;
}

/** What makes a request body unusable as an activity (before any state is touched), or undefined when it is fine. */
export function activityProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  if (!isNonEmptyString(body.type)) return 'missing "type"';
  if (!isNonEmptyString(body.channelId)) return 'missing "channelId"';
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl)) return 'missing or invalid "serviceUrl"';
  for (const key of ['id', 'name', 'text', 'locale', 'replyToId', 'textFormat', 'inputHint'])
    if (!optional(body[key], 'string')) return `"${key}" must be a string`;
  if (body.attachments !== undefined && body.attachments !== null) {
    if (!Array.isArray(body.attachments) || !body.attachments.every(isObject)) return '"attachments" must be an array of objects';
  }
  return (
    conversationProblem(body.conversation) ??
    accountProblem(body.from, 'from') ??
    accountProblem(body.recipient, 'recipient') ??
    membersProblem(body.membersAdded, 'membersAdded') ??
    membersProblem(body.membersRemoved, 'membersRemoved') ??
    entitiesProblem(body.entities) ??
    channelDataProblem(body.channelData) ??
    (body.type === 'invoke' ? invokeProblem(body) : undefined)
  );
}
