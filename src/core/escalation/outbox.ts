import { ABSENT_ETAG, isEtagConflict, KeyValueStore, ShardedIndex, StoreItem } from '../storage';
import type { IncidentStage } from './incident';

/** What has to reach the outside world after a ticket changes, or when a tenant-wide incident starts a stage. */
export type DeliveryKind = 'channel-post' | 'channel-update' | 'user-notify' | 'webhook' | 'handoff' | 'incident-post';

export interface Delivery {
  id: string;
  kind: DeliveryKind;
  /** The ticket it is about ('' for an incident's card). */
  ticketId: string;
  /** For incident cards: the incident's storage key and the stage to announce. */
  incident?: { key: string; stage: IncidentStage };
  /** Ticket id + version + kind: the receiver can drop duplicates (delivery is at least once). */
  idempotencyKey: string;
  /** For user notifications: which event to tell the user about. */
  event?: 'assigned' | 'resolved' | 'reopened';
  /**
   * The ticket version this delivery is for. It is stored before the ticket is: a ticket found below it has not
   * been written (yet, or ever, when that write failed), and the delivery waits, then is dropped.
   */
  version?: number;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  createdAt: string;
  /** An instance is sending it until then (a lease, so a crashed instance's claim expires). */
  claimedUntil?: number;
}

export type DeliveryHandler = (delivery: Delivery) => Promise<void>;
export type NewDelivery = Omit<Delivery, 'id' | 'attempts' | 'nextAttemptAt' | 'createdAt'>;

/**
 * A failed delivery, as handlers report it: `retryAfterMs` when the receiver said when to come back (429/503
 * Retry-After), `drop` when trying again cannot help (its ticket no longer exists).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly options: { retryAfterMs?: number; drop?: boolean } = {},
  ) {
    super(message);
  }
  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

/** How long a claimed delivery stays reserved for the instance sending it. */
const CLAIM_MS = 60_000;
/** The delivery's item: its id is its idempotency key, so enqueueing the same delivery twice stores it once. */
const itemKey = (id: string): string => `outbox/${id}`;

export interface OutboxOptions {
  /** First retry delay; doubles each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts a delivery is dropped and reported through onDrop. */
  maxAttempts?: number;
  now?: () => number;
  /** A delivery given up on (attempts exhausted, or its ticket is gone). */
  onDrop?: (delivery: Delivery, error: Error) => void;
  /** A delivery that failed and will be retried. */
  onError?: (delivery: Delivery, error: Error) => void;
  /** A drain that failed as a whole (storage unreachable): retried by the next drain. */
  onDrainError?: (error: Error) => void;
}

/**
 * A durable outbox: deliveries are stored before anything is sent, retried with exponential backoff, and removed
 * only once delivered, so nothing is lost across a restart and the user's turn never waits for the network.
 * Enqueueing starts a drain in the background; a timer (startDelivery) drains what is due for a retry.
 */
export class Outbox {
  private draining?: Promise<number>;
  private again = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;
  private readonly index: ShardedIndex;

  constructor(
    private readonly store: KeyValueStore,
    private readonly handlers: Partial<Record<DeliveryKind, DeliveryHandler>>,
    private readonly options: OutboxOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.index = new ShardedIndex(store, 'outbox/index', 16, 'outbox/index');
  }

  /**
   * Stores the deliveries (each "if absent", under its idempotency key: enqueueing again is harmless), indexes
   * them, and starts delivering in the background (unless `deliver` is false: the caller writes what they are
   * about first, then kicks). Throws if they could not be stored.
   */
  async enqueue(items: NewDelivery[], options: { deliver?: boolean } = {}): Promise<void> {
    const deliveries: Delivery[] = items
      .filter((i) => this.handlers[i.kind])
      .map((i) => ({
        ...i,
        id: i.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_'),
        attempts: 0,
        nextAttemptAt: this.now(),
        createdAt: new Date(this.now()).toISOString(),
      }));
    if (deliveries.length === 0) return;
    await Promise.all(
      deliveries.map(async (d) => {
        try {
          await this.store.write({ [itemKey(d.id)]: { ...d, eTag: ABSENT_ETAG } });
        } catch (err) {
          if (!isEtagConflict(err)) throw err;
        }
      }),
    );
    await this.index.add(deliveries.map((d) => d.id));
    if (options.deliver !== false) this.kick();
  }

  async pending(): Promise<Delivery[]> {
    const ids = await this.index.all();
    if (ids.length === 0) return [];
    const items = await this.store.read(ids.map(itemKey));
    return ids
      .map((id) => items[itemKey(id)] as (Delivery & StoreItem) | undefined)
      .filter((d): d is Delivery & StoreItem => !!d)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Sends every delivery that is due, in order of creation. One drain at a time. Returns how many succeeded. */
  drain(): Promise<number> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      let delivered = 0;
      do {
        this.again = false;
        delivered += await this.drainOnce();
      } while (this.again);
      return delivered;
    })().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Starts a drain in the background (errors go to onDrainError). */
  kick(): void {
    this.drain().catch((err: Error) => this.options.onDrainError?.(err));
  }

  /** Makes every pending delivery due now (e.g. when the helpdesk team becomes reachable), and delivers. */
  async retryNow(filter: (d: Delivery) => boolean = () => true): Promise<void> {
    const due = (await this.pending()).filter(filter);
    if (due.length)
      await this.store.write(Object.fromEntries(due.map((d) => [itemKey(d.id), { ...d, nextAttemptAt: this.now(), eTag: '*' }])));
    this.kick();
  }

  private async remove(id: string): Promise<void> {
    await this.store.delete([itemKey(id)]);
    await this.index.remove([id]);
  }

  private async drainOnce(): Promise<number> {
    let delivered = 0;
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
        if (!handler) throw new DeliveryError(`no handler for ${d.kind}`, { drop: true });
        await handler(d);
      } catch (err) {
        await this.failed(d as Delivery & StoreItem, err as Error);
        continue;
      }
      await this.remove(d.id);
      delivered++;
    }
    return delivered;
  }

  private async failed(d: Delivery & StoreItem, error: Error): Promise<void> {
    const attempts = d.attempts + 1;
    const { eTag: _e, ...rest } = d;
    if ((error instanceof DeliveryError && error.options.drop) || attempts >= (this.options.maxAttempts ?? 100)) {
      await this.remove(d.id);
      this.options.onDrop?.({ ...rest, attempts, lastError: error.message }, error);
      return;
    }
    const retryAfter = (error as { retryAfterMs?: number }).retryAfterMs;
    const delay = retryAfter ?? Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempts - 1));
    await this.store.write({
      [itemKey(d.id)]: { ...rest, claimedUntil: 0, attempts, nextAttemptAt: this.now() + delay, lastError: error.message, eTag: '*' },
    });
    this.options.onError?.(d, error);
  }
}
