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
