import { MemoryStorage, Storage, StoreItems } from 'botbuilder';

/** A storage whose writes fail (as a storage error, not an eTag conflict) while `failWrite` says so. */
export class FaultyStorage implements Storage {
  failWrite: (key: string, value: Record<string, unknown>) => boolean = () => false;
  failedWrites = 0;

  constructor(readonly inner: Storage = new MemoryStorage()) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.inner.read(keys);
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, value] of Object.entries(changes)) {
      if (this.failWrite(key, value as Record<string, unknown>)) {
        this.failedWrites++;
        throw new Error(`403 This request is not authorized to perform this operation (${key})`);
      }
    }
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}
