import { MemoryStorage } from 'botbuilder';
import { Outbox } from '../src/core/escalation/outbox';
import { EscalationService } from '../src/core/escalation/service';
import { TicketStore } from '../src/core/escalation/ticketStore';
import { Retention } from '../src/core/retention';
import { FaultyStorage } from './helpers/faults';
import { draft } from './helpers/tickets';

const DAY = 24 * 60 * 60 * 1000;

describe('retention', () => {
  it('an item is deleted RETENTION_DAYS after its last use, not after its first; resolved tickets after their resolution', async () => {
    const store = new MemoryStorage();
    let now = Date.parse('2026-01-01T12:00:00Z');
    const tickets = new TicketStore(store);
    const retention = new Retention(store, tickets, { days: 30, now: () => now });
    const service = new EscalationService(tickets, new Outbox(store, {}));
    await store.write({ 'conv/once': { x: 1 }, 'conv/again': { x: 2 } });
    retention.touch(['conv/once', 'conv/again']);
    const resolved = await service.create(draft(), new Date(now));
    await service.resolve(resolved.id, { id: '29:a', name: 'A' }, 'done');
    const open = await service.create(draft(), new Date(now));

    now += 20 * DAY;
    retention.touch(['conv/again']);
    await retention.flush();

    now += 11 * DAY;
    expect(await retention.sweep()).toEqual({ items: 1, tickets: 0 });
    expect(Object.keys(await store.read(['conv/once', 'conv/again']))).toEqual(['conv/again']);
    now += 20 * DAY;
    expect(await retention.sweep()).toMatchObject({ items: 1 });
    expect(await store.read(['conv/again'])).toEqual({});

    // Tickets go by the time of their resolution (the real clock here): kept until 30 days after it.
    expect(await retention.sweep(Date.now() + 29 * DAY)).toMatchObject({ tickets: 0 });
    expect(await retention.sweep(Date.now() + 31 * DAY)).toMatchObject({ tickets: 1 });
    expect(await tickets.get(resolved.id)).toBeUndefined();
    expect(await tickets.get(open.id)).toBeDefined();
  });

  it('what could not be noted because storage failed is noted at the next flush', async () => {
    const store = new FaultyStorage();
    const retention = new Retention(store, new TicketStore(store), { days: 1 });
    retention.touch(['conv/x']);
    store.failWrite = (key) => key.startsWith('retention/');
    await expect(retention.flush()).rejects.toThrow(/403/);
    store.failWrite = () => false;
    await retention.flush();
    await store.write({ 'conv/x': { x: 1 } });
    await retention.sweep(Date.now() + 3 * DAY);
    expect(await store.read(['conv/x'])).toEqual({});
  });
});
