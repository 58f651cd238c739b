import { createHash } from 'crypto';
import { ABSENT_ETAG, isEtagConflict, KeyValueStore, ShardedIndex, StoreItem, updateItem } from '../storage';
import { Ticket, TransitionResult } from './ticket';

const ticketKey = (id: string): string => `tickets/${id}`;
type StoredTicket = Ticket & StoreItem;

/**
 * The ticket id of a diagnostic record: "IOS-" and eight digits taken from a hash of the record id (and `salt`, to
 * move off an id another record already holds). No shared counter: instances never coordinate to hand out an id, and
 * a retry of the same escalation arrives at the same id, so it can never make a second ticket.
 */
export function ticketIdFor(recordId: string, salt = 0, prefix = 'IOS'): string {
  const digest = createHash('sha256')
    .update(salt ? `${recordId}#${salt}` : recordId)
    .digest();
  return `${prefix}-${10_000_000 + (digest.readUInt32BE(0) % 90_000_000)}`;
}

/** Tickets in the configured storage: one item per ticket, a sharded index to list them, eTags on every change. */
export class TicketStore {
  private readonly index: ShardedIndex;

  constructor(private readonly store: KeyValueStore) {
    this.index = new ShardedIndex(store, 'tickets/index', 16, 'tickets/index');
  }

  /**
   * Stores a new ticket "if absent". Returns 'exists' when a ticket is already stored under that id (the caller
   * decides whether it is the same escalation or another one). Indexing failures are not the creation's: the
   * ticket exists, and `ensureIndexed` (called by its first delivery) repairs the index.
   */
  async insert(ticket: Ticket): Promise<'created' | 'exists'> {
    try {
      await this.store.write({ [ticketKey(ticket.id)]: { ...ticket, eTag: ABSENT_ETAG } });
    } catch (err) {
      if (isEtagConflict(err)) return 'exists';
      throw err;
    }
    await this.ensureIndexed(ticket.id).catch(() => undefined);
    return 'created';
  }

  ensureIndexed(id: string): Promise<void> {
    return this.index.add([id]);
  }

  async get(id: string): Promise<Ticket | undefined> {
    const item = (await this.store.read([ticketKey(id)]))[ticketKey(id)] as StoredTicket | undefined;
    if (!item) return undefined;
    const { eTag: _e, ...ticket } = item;
    return ticket as Ticket;
  }

  /**
   * Applies a transition with optimistic concurrency: if another agent changed the ticket in between, the
   * transition is evaluated again on the fresh ticket (so of two simultaneous "Assign to me", one wins and the
   * other gets "already assigned" with the winner's name). `beforeWrite` runs before each write of a changed
   * ticket (its deliveries are stored first); if it throws, the ticket is not written.
   */
  async transition(
    id: string,
    apply: (t: Ticket) => TransitionResult,
    beforeWrite: (next: Ticket) => Promise<void> = async () => undefined,
    attempts = 20,
  ): Promise<TransitionResult | undefined> {
    const key = ticketKey(id);
    for (let i = 0; ; i++) {
      const current = (await this.store.read([key]))[key] as StoredTicket | undefined;
      if (!current) return undefined;
      const { eTag, ...ticket } = structuredClone(current);
      const result = apply(ticket as Ticket);
      if (!result.ok || result.ticket === ticket) return result;
      await beforeWrite(result.ticket);
      try {
        await this.store.write({ [key]: { ...result.ticket, eTag } });
        return result;
      } catch (err) {
        if (!isEtagConflict(err) || i >= attempts) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * (i + 1)));
      }
    }
  }

  /** Changes bookkeeping fields of a ticket (no status change, no version change). */
  async annotate(id: string, fields: Pick<Ticket, 'channelMessage' | 'channelPostStartedAt'>): Promise<void> {
    await updateItem<StoredTicket, void>(this.store, ticketKey(id), (current) =>
      current ? { value: { ...current, ...fields } as StoredTicket, result: undefined } : { result: undefined },
    );
  }

  async list(filter: (t: Ticket) => boolean = () => true): Promise<Ticket[]> {
    const ids = await this.index.all();
    const items = ids.length ? await this.store.read(ids.map(ticketKey)) : {};
    return ids
      .map((id) => items[ticketKey(id)] as StoredTicket | undefined)
      .filter((t): t is StoredTicket => !!t)
      .map(({ eTag: _e, ...t }) => t as Ticket)
      .filter(filter);
  }

  /** Deletes tickets (retention, or a user's request) and takes them out of the index. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.store.delete(ids.map(ticketKey));
    await this.index.remove(ids);
  }
}
