import { Storage, StoreItems } from 'botbuilder';
import { isEtagConflict } from '../core/storage';

/** The storage could not be reached (as opposed to an eTag conflict, which is a normal concurrency outcome). */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`storage unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * Wraps the configured storage so that an outage surfaces as StorageUnavailableError: the turn fails before
 * anything is half-written, the user is told in their language, and the next turn after recovery reads the state
 * exactly as it was.
 */
export class ResilientStorage implements Storage {
  constructor(readonly inner: Storage) {}

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (isEtagConflict(err)) throw err;
      throw new StorageUnavailableError(err);
    }
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.guard(() => this.inner.read(keys));
  }

  write(changes: StoreItems): Promise<void> {
    return this.guard(() => this.inner.write(changes));
  }

  delete(keys: string[]): Promise<void> {
    return this.guard(() => this.inner.delete(keys));
  }
}
