import type * as restify from 'restify';
import { BotRuntime } from '../bot';
import { BotConfig } from '../bot/config';
import { Person, TransitionResult } from '../core/escalation/ticket';
import { MAX_SIGNATURE_AGE_S, validSignature } from '../core/escalation/webhookSignature';
import { readJsonBody } from './body';
import { log } from '../core/log';

interface StatusUpdate {
  ticketId?: unknown;
  status?: unknown;
  note?: unknown;
  by?: unknown;
}

/**
 * POST /api/itsm/tickets/{id}: the ITSM reports a status change made there (resolved with a note, reopened, taken),
 * signed like the webhook's POSTs (ESCALATION_WEBHOOK_SECRET). The change goes through the same transitions as the
 * card's buttons, so the card is updated and the user told. Without the secret the route answers 404.
 * Body: {"ticketId": "<id>", "status": "resolved" | "open" | "assigned", "note": "…", "by": "<agent name>"}.
 */
export function registerItsmRoutes(server: restify.Server, config: BotConfig, runtime: BotRuntime): void {
  const seen = new Map<string, number>();
  server.post('/api/itsm/tickets/:id', async (req: restify.Request, res: restify.Response) => {
    const secret = config.escalationWebhookSecret;
    if (!secret) return void res.send(404, { error: 'not found' });
    const body = await readJsonBody(req, config.maxBodyBytes);
    if (!body.ok) return void res.send(body.status, { error: body.error });
    const raw = body.raw;
    const signature = req.header('x-signature', '');
    const timestamp = req.header('x-signature-timestamp', '');
    const now = Date.now();
    for (const [s, at] of seen) if (at < now - MAX_SIGNATURE_AGE_S * 1000) seen.delete(s);
    if (!raw || !validSignature(secret, raw, timestamp, signature, now) || seen.has(signature)) {
      log('warn', 'ITSM status update refused: bad or replayed signature');
      return void res.send(401, { error: 'unauthorized' });
    }
    seen.set(signature, now);
    const id = String(req.params.id ?? '');
    const update = (body.value ?? {}) as StatusUpdate;
    if (update.ticketId !== id) return void res.send(400, { error: '"ticketId" must be the ticket of the URL' });
    const by: Person = { id: 'itsm', name: typeof update.by === 'string' && update.by.trim() ? update.by.trim().slice(0, 100) : 'ITSM' };
    const note = typeof update.note === 'string' ? update.note : '';
    if (!['resolved', 'open', 'assigned'].includes(update.status as string))
      return void res.send(400, { error: '"status" must be resolved, open or assigned' });
    let result: TransitionResult | undefined;
    try {
      if (update.status === 'resolved') result = await runtime.escalation.resolve(id, by, note);
      else if (update.status === 'open') result = await runtime.escalation.reopen(id, by);
      else result = await runtime.escalation.assign(id, by);
    } catch (err) {
      // Not saved (storage refused the change or its deliveries): the ITSM may send the same update again.
      log('error', 'ITSM status update could not be saved', { ticket: id, error: (err as Error).message });
      seen.delete(signature);
      return void res.send(503, { error: 'could not save the change, try again' });
    }
    if (!result) return void res.send(404, { error: 'no such ticket' });
    if (!result.ok) return void res.send(409, { error: result.reason, status: result.ticket.status });
    log('info', 'ticket changed from the ITSM', { ticket: id, status: result.ticket.status });
    return void res.send(200, { id, status: result.ticket.status, version: result.ticket.version });
  });
}
