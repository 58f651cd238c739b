import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { MemoryStorage, Storage } from 'botbuilder';
import { createBot } from '../src/bot';
import { readConfig } from '../src/bot/config';
import { FileStorage } from '../src/bot/fileStorage';
import { Outbox } from '../src/core/escalation/outbox';
import { EscalationService } from '../src/core/escalation/service';
import { CUT_MARK } from '../src/core/escalation/ticket';
import { TicketStore } from '../src/core/escalation/ticketStore';
import { eventually } from './helpers/http';
import { SlowStorage } from './helpers/storage';
import { draft, expectOneAssignWins } from './helpers/tickets';

/** The single-instance storages, each made fresh for a test (file storage in a new temporary folder). */
const STORES: [string, () => Storage][] = [
  ['memory', () => new MemoryStorage()],
  ['file', () => new FileStorage(fs.mkdtempSync(path.join(os.tmpdir(), 'tickets-')))],
];

describe('tickets', () => {
  it.each(STORES)('%s storage: short human ids, and of two simultaneous "Assign to me" exactly one wins', async (_name, makeStore) => {
    const store = makeStore();
    const service = new EscalationService(new TicketStore(store), new Outbox(store, {}));
    const [a, b] = await Promise.all([service.create(draft()), service.create(draft())]);
    expect(a.id).toMatch(/^IOS-\d{8}$/);
    expect(b.id).toMatch(/^IOS-\d{8}$/);
    expect(a.id).not.toBe(b.id);
    const results = await Promise.all([
      service.assign(a.id, { id: '29:marco', name: 'Marco' }),
      service.assign(a.id, { id: '29:lucia', name: 'Lucía' }),
    ]);
    expectOneAssignWins(results);
    expect((await service.tickets.get(a.id))!.history.map((h) => h.status)).toEqual(['open', 'assigned']);
    expect(await service.tickets.list((t) => t.status === 'open')).toHaveLength(1);
  });

  it('tickets of two instances created at the same moment get distinct ids, and the index lists them all', async () => {
    // Two instances (two TicketStores) on one storage whose reads are slow: no shared counter, no lost index entry.
    const slow = new SlowStorage(20);
    const one = new EscalationService(new TicketStore(slow), new Outbox(slow, {}));
    const two = new EscalationService(new TicketStore(slow), new Outbox(slow, {}));
    const tickets = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).create(draft())));
    const ids = tickets.map((t) => t.id).sort();
    expect(new Set(ids).size).toBe(12);
    expect((await one.tickets.list()).map((t) => t.id).sort()).toEqual(ids);
    expect(await slow.inner.read(['tickets/counter'])).toEqual({});
  });

  it('the same escalation created again (a retry, on either instance, even at the same moment) is one ticket', async () => {
    const slow = new SlowStorage(20);
    const one = new EscalationService(new TicketStore(slow), new Outbox(slow, {}));
    const two = new EscalationService(new TicketStore(slow), new Outbox(slow, {}));
    const input = draft();
    const [a, b] = await Promise.all([one.create(input), two.create(input)]);
    const c = await one.create(input);
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect(await one.tickets.list()).toHaveLength(1);
  });

  it('what the user typed is stored bounded to 2,000 characters and marked as cut', async () => {
    const store = new MemoryStorage();
    const service = new EscalationService(new TicketStore(store), new Outbox(store, {}));
    const long = 'x'.repeat(100_000);
    const input = draft();
    input.record.description = long;
    input.record.answers['error-message'] = { value: long, raw: long, source: 'message', at: new Date().toISOString() };
    const ticket = await service.create({ ...input, description: long, transcript: [{ from: 'user', text: long, at: '' }] });
    const stored = (await service.tickets.get(ticket.id))!;
    for (const text of [
      stored.description!,
      stored.record.description!,
      stored.record.answers['error-message']!.value,
      stored.transcript[0]!.text,
    ]) {
      expect(text).toHaveLength(2000);
      expect(text.endsWith(CUT_MARK)).toBe(true);
    }
    expect(JSON.stringify(stored).length).toBeLessThan(12_000);
  });

  it('status transitions: resolve needs a note, reopen only when resolved', async () => {
    const store = new MemoryStorage();
    const service = new EscalationService(new TicketStore(store), new Outbox(store, {}));
    const t = await service.create(draft());
    const agent = { id: '29:a', name: 'A' };
    expect(await service.reopen(t.id, agent)).toMatchObject({ ok: false, reason: 'not-resolved' });
    expect(await service.resolve(t.id, agent, ' ')).toMatchObject({ ok: false, reason: 'missing-note' });
    expect(await service.resolve(t.id, agent, 'fixed')).toMatchObject({
      ok: true,
      ticket: { status: 'resolved', resolution: { note: 'fixed' } },
    });
    expect(await service.assign(t.id, agent)).toMatchObject({ ok: false, reason: 'already-resolved' });
    expect(await service.reopen(t.id, agent)).toMatchObject({ ok: true, ticket: { status: 'open' } });
  });
});

describe('outbox', () => {
  it.each(STORES)('%s storage: two instances draining at the same moment send each delivery exactly once', async (_name, makeStore) => {
    const store = makeStore();
    const sent = new Map<string, number>();
    const handler = async (d: { idempotencyKey: string }): Promise<void> => {
      await new Promise((r) => setTimeout(r, 5));
      sent.set(d.idempotencyKey, (sent.get(d.idempotencyKey) ?? 0) + 1);
    };
    const a = new Outbox(store, { webhook: handler });
    const b = new Outbox(store, { webhook: handler });
    await a.enqueue(Array.from({ length: 20 }, (_, i) => ({ kind: 'webhook' as const, ticketId: `IOS-${i}`, idempotencyKey: `k${i}` })));
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await Promise.all([a.drain(), b.drain()]);
    expect(sent.size).toBe(20);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(await a.pending()).toEqual([]);
  });
});

describe('ITSM webhook from the durable outbox', () => {
  it('endpoint down, then up, with a restart in between: every change arrives exactly once, by idempotency key', async () => {
    const accepted = new Map<string, number>();
    let up = false;
    let refused = 0;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (!up) {
          refused++;
          res.writeHead(503);
          return res.end();
        }
        const key = req.headers['idempotency-key'] as string;
        expect(JSON.parse(body)).toMatchObject({ idempotencyKey: key, ticket: { id: expect.stringMatching(/^IOS-\d{8}$/) } });
        accepted.set(key, (accepted.get(key) ?? 0) + 1);
        res.writeHead(200);
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const env = {
      STORAGE: 'file',
      STORAGE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-')),
      ESCALATION_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/itsm`,
      DELIVERY_RETRY_BASE_MS: '20',
    };
    const first = createBot(readConfig(env));
    first.startDelivery(10);
    const ticket = await first.escalation.create(draft());
    await first.escalation.assign(ticket.id, { id: '29:a', name: 'A' });
    await eventually(() => refused >= 3);
    await first.stop();
    expect(accepted.size).toBe(0);

    up = true;
    const second = createBot(readConfig(env));
    second.startDelivery(10);
    await eventually(() => accepted.size === 2);
    await new Promise((r) => setTimeout(r, 200));
    await second.stop();
    expect([...accepted.keys()].sort()).toEqual([`${ticket.id}:v1:webhook`, `${ticket.id}:v2:webhook`]);
    expect([...accepted.values()]).toEqual([1, 1]);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
