import { TicketStore } from './escalation/ticketStore';
import { KeyValueStore, ShardedIndex, StoreItem, updateItem } from './storage';

const DAY_MS = 24 * 60 * 60 * 1000;
const DAYS_KEY = 'retention/days';
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface Days extends StoreItem {
  days: string[];
}

export interface RetentionOptions {
  /** Items unused for this many days, and tickets resolved that long ago, are deleted (RETENTION_DAYS). */
  days: number;
  now?: () => number;
}

export interface SweepResult {
  /** State items, user references and leases deleted. */
  items: number;
  tickets: number;
}

/**
 * Personal data is kept for a limited time. Every turn notes the storage items it used (conversation and user
 * state, the user's reference, the conversation's lease) in a per-day list; a sweep deletes the items of days past
 * the retention period that no later day used, and the tickets resolved before it.
 *
 * Safe with several instances: each instance adds to the day lists with eTags (one of a few shards per day, not
 * on every turn but in batches), and a sweep only deletes, so two sweeps at once do the same work twice, nothing
 * worse.
 */
export class Retention {
  private readonly pending = new Map<string, Set<string>>();
  private readonly knownDays = new Set<string>();
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore,
    private readonly tickets: TicketStore,
    private readonly options: RetentionOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  private dayIndex(day: string): ShardedIndex {
    return new ShardedIndex(this.store, `retention/day/${day}`, 8);
  }

  /** Notes that these items were used now (kept in memory until the next flush). */
  touch(keys: string[]): void {
    const day = dayOf(this.now());
    const set = this.pending.get(day) ?? new Set<string>();
    for (const k of keys) set.add(k);
    this.pending.set(day, set);
  }

  /** Writes what touch() noted to the day lists. What could not be written is kept for the next flush. */
  async flush(): Promise<void> {
    for (const [day, keys] of [...this.pending]) {
      this.pending.delete(day);
      try {
        if (!this.knownDays.has(day)) {
          await updateItem<Days, void>(this.store, DAYS_KEY, (d) =>
            d?.days.includes(day) ? { result: undefined } : { value: { days: [...(d?.days ?? []), day] }, result: undefined },
          );
          this.knownDays.add(day);
        }
        await this.dayIndex(day).add([...keys]);
      } catch (err) {
        const again = this.pending.get(day) ?? new Set<string>();
        for (const k of keys) again.add(k);
        this.pending.set(day, again);
        throw err;
      }
    }
  }

  /** Deletes what is past the retention period. */
  async sweep(now = this.now()): Promise<SweepResult> {
    await this.flush();
    const cutoff = now - this.options.days * DAY_MS;
    const cutoffDay = dayOf(cutoff);
    const days = [...(((await this.store.read([DAYS_KEY]))[DAYS_KEY] as Days | undefined)?.days ?? [])].sort();
    const expired = days.filter((d) => d < cutoffDay);
    let items = 0;
    if (expired.length) {
      const recent = new Set<string>();
      for (const day of days.filter((d) => d >= cutoffDay)) for (const k of await this.dayIndex(day).all()) recent.add(k);
      for (const day of expired) {
        const index = this.dayIndex(day);
        const old = (await index.all()).filter((k) => !recent.has(k));
        if (old.length) await this.store.delete(old);
        items += old.length;
        await this.store.delete(index.keys());
      }
      await updateItem<Days, void>(this.store, DAYS_KEY, (d) => ({
        value: { days: (d?.days ?? []).filter((x) => !expired.includes(x)) },
        result: undefined,
      }));
      for (const day of expired) this.knownDays.delete(day);
    }
    const cutoffIso = new Date(cutoff).toISOString();
    const old = await this.tickets.list((t) => t.status === 'resolved' && (t.resolution?.at ?? t.updatedAt) < cutoffIso);
    await this.tickets.delete(old.map((t) => t.id));
    return { items, tickets: old.length };
  }

  /** A user's request to delete their data: the given items (their state, reference, 1:1 chat) and their tickets. */
  async forget(keys: string[], requesterId: string): Promise<SweepResult> {
    const existing = await this.store.read(keys);
    const present = keys.filter((k) => existing[k] !== undefined);
    if (present.length) await this.store.delete(present);
    const theirs = await this.tickets.list((t) => t.requester.id === requesterId);
    await this.tickets.delete(theirs.map((t) => t.id));
    return { items: present.length, tickets: theirs.length };
  }
}
