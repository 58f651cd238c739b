/**
 * The key-value store the domain core persists through: the same shape as botbuilder's Storage (read, write with
 * eTags, delete), declared here so the core does not depend on botbuilder. Any botbuilder Storage fits.
 */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export interface KeyValueStore {
  read(keys: string[]): Promise<Record<string, unknown>>;
  write(changes: Record<string, unknown>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/**
 * The eTag that makes a write "create if absent": it succeeds only if no item is stored under the key, and fails
 * as an eTag conflict otherwise. The storages of this project honour it: botbuilder's MemoryStorage (it accepts any
 * eTag for a missing item and refuses a non-matching one for an existing item), FileStorage and
 * RecoveringBlobsStorage (Azure's If-None-Match: *). Two instances creating the same item at once: one wins.
 */
export const ABSENT_ETAG = '!absent';

export const isEtagConflict = (err: unknown): boolean => /etag|precondition|conflict/i.test(String((err as Error)?.message ?? err));

/**
 * Optimistic read-modify-write of one item: reads it with its eTag, applies `change`, writes back with that eTag,
 * (or, for an item that does not exist yet, "create if absent"), and on a conflict (someone else wrote in between)
 * starts again from a fresh read.
 * `change` returns the new value, or undefined to leave the item as it is.
 */
export async function updateItem<T extends StoreItem, R>(
  store: KeyValueStore,
  key: string,
  change: (current: T | undefined) => { value?: T; result: R },
  attempts = 20,
): Promise<R> {
  for (let i = 0; ; i++) {
    const current = (await store.read([key]))[key] as T | undefined;
    const { value, result } = change(current ? structuredClone(current) : undefined);
    if (!value) return result;
    try {
      await store.write({ [key]: { ...value, eTag: current?.eTag ?? ABSENT_ETAG } });
      return result;
    } catch (err) {
      if (!isEtagConflict(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * (i + 1)));
    }
  }
}

/**
 * A list of ids spread over a fixed number of items (shards), so that adding or removing one id read-modify-writes
 * one shard, not a list every writer shares. Listing reads every shard in one read.
 * `legacyKey`: a single-item list kept by an earlier version; its ids are still listed and removed.
 */
export class ShardedIndex {
  private legacySeen = false;

  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
    private readonly shards = 16,
    private readonly legacyKey?: string,
  ) {}

  private shardKey(id: string): string {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
    return `${this.prefix}/${h % this.shards}`;
  }

  private byShard(ids: string[]): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const id of ids) groups.set(this.shardKey(id), [...(groups.get(this.shardKey(id)) ?? []), id]);
    return groups;
  }

  async add(ids: string[]): Promise<void> {
    await Promise.all(
      [...this.byShard(ids)].map(([key, group]) =>
        updateItem<IndexItem, void>(this.store, key, (i) => {
          const have = new Set(i?.ids ?? []);
          const missing = group.filter((id) => !have.has(id));
          return missing.length ? { value: { ids: [...(i?.ids ?? []), ...missing] }, result: undefined } : { result: undefined };
        }),
      ),
    );
  }

  async remove(ids: string[]): Promise<void> {
    const drop = (key: string, group: string[]): Promise<void> =>
      updateItem<IndexItem, void>(this.store, key, (i) =>
        i && group.some((id) => i.ids.includes(id))
          ? { value: { ids: i.ids.filter((x) => !group.includes(x)) }, result: undefined }
          : { result: undefined },
      );
    await Promise.all([...this.byShard(ids)].map(([key, group]) => drop(key, group)));
    if (this.legacyKey && this.legacySeen) await drop(this.legacyKey, ids);
  }

  /** The storage keys of the shards. */
  keys(): string[] {
    return Array.from({ length: this.shards }, (_, i) => `${this.prefix}/${i}`);
  }

  async all(): Promise<string[]> {
    const keys = this.keys();
    const items = await this.store.read(this.legacyKey ? [this.legacyKey, ...keys] : keys);
    const legacy = this.legacyKey ? ((items[this.legacyKey] as IndexItem | undefined)?.ids ?? []) : [];
    if (legacy.length) this.legacySeen = true;
    const ids = [...legacy, ...keys.flatMap((k) => (items[k] as IndexItem | undefined)?.ids ?? [])];
    return [...new Set(ids)];
  }
}

interface IndexItem extends StoreItem {
  ids: string[];
}
