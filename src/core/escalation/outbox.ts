import { randomUUID } from 'crypto';
import { isEtagConflict, KeyValueStore, StoreItem, updateItem } from '../storage';

/** What has to reach the outside world after a ticket changes. */
export type DeliveryKind = 'channel-post' | 'channel-update' | 'user-notify' | 'webhook' | 'handoff';

export interface Delivery {
  id: string;
  kind: DeliveryKind;
  ticketId: string;
  /** Ticket id + version + kind: the receiver can drop duplicates (delivery is at least once). */
  idempotencyKey: string;
  /** For user notifications: which event to tell the user about. */
  event?: 'assigned' | 'resolved' | 'reopened';
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  createdAt: string;
  /** An instance is sending it until then (a lease, so a crashed instance's claim expires). */
  claimedUntil?: number;
  /** Delivered: kept for a while as a tombstone, so a slower instance's stale claim fails on the eTag. */
  deliveredAt?: number;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

const INDEX_KEY = 'outbox/index';
/** How long a claimed delivery stays reserved for the instance sending it. */
const CLAIM_MS = 60_000;
const itemKey = (id: string): string => `outbox/${id}`;
interface Index extends StoreItem {
  ids: string[];
}

export interface OutboxOptions {
  /** First retry delay; doubles each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts a delivery is dropped and reported through onDrop. */
  maxAttempts?: number;
  now?: () => number;
  onDrop?: (delivery: Delivery) => void;
  onError?: (delivery: Delivery, error: Error) => void;
}

/**
 * A durable outbox: deliveries are stored before anything is sent, retried with exponential backoff, and removed
 * only once delivered, so nothing is lost across a restart and the user's turn never waits for the network.
 */
export class Outbox {
  private draining?: Promise<number>;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly handlers: Partial<Record<DeliveryKind, DeliveryHandler>>,
    private readonly options: OutboxOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  async enqueue(items: Omit<Delivery, 'id' | 'attempts' | 'nextAttemptAt' | 'createdAt'>[]): Promise<void> {
    const deliveries = items
      .filter((i) => this.handlers[i.kind])
      .map((i) => ({ ...i, id: randomUUID(), attempts: 0, nextAttemptAt: this.now(), createdAt: new Date(this.now()).toISOString() }));
    if (deliveries.length === 0) return;
    await this.store.write(Object.fromEntries(deliveries.map((d) => [itemKey(d.id), { ...d, eTag: '*' }])));
    await updateItem<Index, void>(this.store, INDEX_KEY, (i) => ({
      value: { ids: [...(i?.ids ?? []), ...deliveries.map((d) => d.id)] },
      result: undefined,
    }));
  }

  async pending(): Promise<Delivery[]> {
    const ids = ((await this.store.read([INDEX_KEY]))[INDEX_KEY] as Index | undefined)?.ids ?? [];
    if (ids.length === 0) return [];
    const items = await this.store.read(ids.map(itemKey));
    return ids
      .map((id) => items[itemKey(id)] as (Delivery & StoreItem) | undefined)
      .filter((d): d is Delivery & StoreItem => !!d && d.deliveredAt === undefined);
  }

  /** Sends every delivery that is due, in order of creation. One drain at a time. Returns how many succeeded. */
  drain(): Promise<number> {
    this.draining ??= this.drainOnce().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Makes every pending delivery due now (e.g. when the helpdesk team becomes reachable). */
  async retryNow(filter: (d: Delivery) => boolean = () => true): Promise<void> {
    const due = (await this.pending()).filter(filter);
    if (due.length)
      await this.store.write(Object.fromEntries(due.map((d) => [itemKey(d.id), { ...d, nextAttemptAt: this.now(), eTag: '*' }])));
  }

  private readonly tombstones: { id: string; at: number }[] = [];

  /**
   * Marks a delivery done and takes it out of the index. A delivered item stays a few minutes as a tombstone:
   * deleting it at once would let an instance holding a stale read "claim" it again on storages that accept a
   * precondition on a missing item (botbuilder's MemoryStorage does).
   */
  private async remove(id: string, delivered?: Delivery & StoreItem): Promise<void> {
    if (delivered) {
      const { eTag: _e, ...rest } = delivered;
      await this.store.write({ [itemKey(id)]: { ...rest, deliveredAt: this.now(), eTag: '*' } });
      this.tombstones.push({ id, at: this.now() });
    } else {
      await this.store.delete([itemKey(id)]);
    }
    await updateItem<Index, void>(this.store, INDEX_KEY, (i) => ({
      value: { ids: (i?.ids ?? []).filter((x) => x !== id) },
      result: undefined,
    }));
  }

  private async sweepTombstones(): Promise<void> {
    const old = this.tombstones.filter((t) => t.at < this.now() - 5 * 60_000);
    if (old.length === 0) return;
    await this.store.delete(old.map((t) => itemKey(t.id)));
    this.tombstones.splice(0, old.length);
  }

  private async drainOnce(): Promise<number> {
    let delivered = 0;
    await this.sweepTombstones();
    for (const d of await this.pending()) {
      if (d.nextAttemptAt > this.now() || (d.claimedUntil ?? 0) > this.now()) continue;
      // Claim it with its eTag first: of several instances draining at once, only one sends it.
      try {
        await this.store.write({ [itemKey(d.id)]: { ...d, claimedUntil: this.now() + CLAIM_MS } });
      } catch (err) {
        if (isEtagConflict(err)) continue;
        throw err;
      }
      const handler = this.handlers[d.kind];
      try {
        if (!handler) throw new Error(`no handler for ${d.kind}`);
        await handler(d);
        await this.store.delete([itemKey(d.id)]);
        await updateItem<Index, void>(this.store, INDEX_KEY, (i) => ({
          value: { ids: (i?.ids ?? []).filter((x) => x !== d.id) },
          result: undefined,
        }));
        delivered++;
      } catch (err) {
        const attempts = d.attempts + 1;
        if (attempts >= (this.options.maxAttempts ?? 100)) {
          await this.remove(d.id);
          this.options.onDrop?.({ ...d, attempts, lastError: (err as Error).message });
          continue;
        }
        const retryAfter = (err as { retryAfterMs?: number }).retryAfterMs;
        const delay = retryAfter ?? Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1));
        const { eTag: _e, ...rest } = d as Delivery & StoreItem;
        await this.store.write({
          [itemKey(d.id)]: { ...rest, attempts, nextAttemptAt: this.now() + delay, lastError: (err as Error).message, eTag: '*' },
        });
        this.options.onError?.(d, err as Error);
      }
    }
    return delivered;
  }
}
