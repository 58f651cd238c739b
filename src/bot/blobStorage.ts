import { Storage, StoreItems } from 'botbuilder';
import { BlobsStorage, BlobsStorageOptions } from 'botbuilder-azure-blobs';

/**
 * botbuilder-azure-blobs' BlobsStorage (eTags honoured: a stale eTag fails with "…eTag conflict", "*" overwrites),
 * made to recover from an outage at start-up: BlobsStorage 4.23 keeps the promise of its first "create the container
 * if missing" call, so an instance whose first call failed (storage unreachable when the process started) would fail
 * forever. Until a call has succeeded, a failure replaces the instance with a fresh one.
 */
export class RecoveringBlobsStorage implements Storage {
  private inner: BlobsStorage;
  private ready = false;

  constructor(
    private readonly connectionString: string,
    private readonly container: string,
    private readonly options?: BlobsStorageOptions,
  ) {
    this.inner = this.create();
  }

  private create(): BlobsStorage {
    return new BlobsStorage(this.connectionString, this.container, this.options);
  }

  private async run<T>(op: (storage: BlobsStorage) => Promise<T>): Promise<T> {
    const inner = this.inner;
    try {
      const result = await op(inner);
      this.ready = true;
      return result;
    } catch (err) {
      if (!this.ready && this.inner === inner) this.inner = this.create();
      throw err;
    }
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.run((s) => s.read(keys));
  }

  write(changes: StoreItems): Promise<void> {
    return this.run((s) => s.write(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.run((s) => s.delete(keys));
  }
}
