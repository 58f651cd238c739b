import { MemoryStorage, Storage, StoreItems } from 'botbuilder';
import { translator } from '../../src/core/knowledge/locales';

/**
 * One memory store shared by several "instances", whose reads take `readDelayMs`: a second read made before the
 * first writer saved is the race every load balancer produces sooner or later.
 */
export class SlowStorage implements Storage {
  constructor(
    private readonly readDelayMs: number,
    readonly inner = new MemoryStorage(),
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    await new Promise((resolve) => setTimeout(resolve, this.readDelayMs));
    return items;
  }

  write(changes: StoreItems): Promise<void> {
    return this.inner.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

/** The start of the "something went wrong (reference …)" message a failed turn gets, in one language. */
export const genericErrorStart = (locale: string): string => translator(locale)('errors.generic', { correlationId: 'X' }).split('X')[0]!;
