import { ABSENT_ETAG, KeyValueStore, StoreItem, updateItem } from '../storage';
import { Ticket, TransitionResult } from './ticket';

const COUNTER_KEY = 'tickets/counter';
const INDEX_KEY = 'tickets/index';
const ticketKey = (id: string): string => `tickets/${id}`;
/** The first ticket is IOS-1001. */
const FIRST_NUMBER = 1001;

interface Counter extends StoreItem {
  next: number;
}
interface Index extends StoreItem {
  ids: string[];
}
type StoredTicket = Ticket & StoreItem;

/** Tickets in the configured storage, with optimistic concurrency on every change. */
export class TicketStore {
  /**
   * Creations are serialised within the process, which spares conflicts on the counter. Across processes, the
   * counter and the index are changed with eTags (created "if absent"), so two instances never hand out one id.
   */
  private creating: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix = 'IOS',
  ) {}

  /** Allocates the next short human id (IOS-1001, IOS-1002…) and stores the ticket under it. */
  create(draft: Omit<Ticket, 'id'>): Promise<Ticket> {
    const run = this.creating.then(() => this.createNow(draft));
    this.creating = run.catch(() => undefined);
    return run;
  }

  private async createNow(draft: Omit<Ticket, 'id'>): Promise<Ticket> {
    const number = await updateItem<Counter, number>(this.store, COUNTER_KEY, (c) => {
      const n = c?.next ?? FIRST_NUMBER;
      return { value: { next: n + 1 }, result: n };
    });
    const ticket: Ticket = { ...draft, id: `${this.prefix}-${number}` };
    await this.store.write({ [ticketKey(ticket.id)]: { ...ticket, eTag: ABSENT_ETAG } });
    await updateItem<Index, void>(this.store, INDEX_KEY, (i) => ({ value: { ids: [...(i?.ids ?? []), ticket.id] }, result: undefined }));
    return ticket;
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
   * other gets "already assigned" with the winner's name).
   */
  async transition(id: string, apply: (t: Ticket) => TransitionResult): Promise<TransitionResult | undefined> {
    return updateItem<StoredTicket, TransitionResult | undefined>(this.store, ticketKey(id), (current) => {
      if (!current) return { result: undefined };
      const { eTag: _e, ...ticket } = current;
      const result = apply(ticket as Ticket);
      return result.ok && result.ticket !== ticket ? { value: result.ticket as StoredTicket, result } : { result };
    });
  }

  /** Records where the ticket card was posted (no status change). */
  async setChannelMessage(id: string, channelMessage: Ticket['channelMessage']): Promise<void> {
    await updateItem<StoredTicket, void>(this.store, ticketKey(id), (current) =>
      current ? { value: { ...current, channelMessage } as StoredTicket, result: undefined } : { result: undefined },
    );
  }

  async list(filter: (t: Ticket) => boolean = () => true): Promise<Ticket[]> {
    const index = (await this.store.read([INDEX_KEY]))[INDEX_KEY] as Index | undefined;
    const ids = index?.ids ?? [];
    const items = ids.length ? await this.store.read(ids.map(ticketKey)) : {};
    return ids
      .map((id) => items[ticketKey(id)] as StoredTicket | undefined)
      .filter((t): t is StoredTicket => !!t)
      .map(({ eTag: _e, ...t }) => t as Ticket)
      .filter(filter);
  }
}
