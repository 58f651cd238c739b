import { Storage, StoreItems } from 'botbuilder';
import { isEtagConflict } from '../core/storage';

/** The storage could not be reached (as opposed to an eTag conflict, which is a normal concurrency outcome). */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`storage unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** How long one storage operation may take before the turn gives up on it (STORAGE_TIMEOUT_MS). */
export const STORAGE_TIMEOUT_MS = 2000;

/**
 * Wraps the configured storage so that an outage surfaces as StorageUnavailableError: the turn fails before
 * anything is half-written, the user is told in their language, and the next turn after recovery reads the state
 * exactly as it was.
 * A storage that does not answer (connections dropped, the SDK retrying) counts as unreachable after `timeoutMs`:
 * the user hears it in seconds, not when the SDK's retries run out. A write given up on this way may still land
 * later; eTags keep it from overwriting anything newer.
 */
export class ResilientStorage implements Storage {
  constructor(
    readonly inner: Storage,
    private readonly timeoutMs = STORAGE_TIMEOUT_MS,
  ) {}

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const running = op();
      // The operation may fail after the timeout won: that failure is already answered.
      running.catch(() => undefined);
      return await Promise.race([running, timeout]);
    } catch (err) {
      if (isEtagConflict(err)) throw err;
      throw new StorageUnavailableError(err);
    } finally {
      clearTimeout(timer);
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
