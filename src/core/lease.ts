import { randomUUID } from 'crypto';
import { performance } from 'perf_hooks';
import { ABSENT_ETAG, isEtagConflict, KeyValueStore, StoreItem } from './storage';

/**
 * Leases in the shared storage: while one instance holds the lease of a conversation, another instance that gets a
 * message of that conversation waits for it. Several instances behind a load balancer with no affinity thus run the
 * turns of one conversation one after the other, each reading what the previous one saved.
 *
 * A lease is an item { owner, expiresAt } written with eTags: taken "if absent" or over an expired lease, given back
 * by expiring it (only by its owner). A crashed instance's lease expires after `ttlMs`.
 */
export interface LeaseOptions {
  /** How long a lease lasts if its owner never gives it back (a crashed instance). */
  ttlMs?: number;
  /** How often a waiting instance looks again. */
  pollMs?: number;
  /** How long to wait at most (real time) before giving up with LeaseTimeoutError. */
  maxWaitMs?: number;
  /** The clock of lease expiry (tests move it). */
  now?: () => number;
}

interface LeaseItem extends StoreItem {
  owner: string | null;
  expiresAt: number;
}

export class LeaseTimeoutError extends Error {
  constructor(key: string, waitedMs: number) {
    super(`lease "${key}" still held by someone else after ${waitedMs} ms`);
  }
}

export interface Lease {
  /** Gives the lease back (does nothing if it expired and someone else holds it now). */
  release(): Promise<void>;
}

export class Leases {
  private readonly ttlMs: number;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyValueStore,
    options: LeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.pollMs = options.pollMs ?? 20;
    this.maxWaitMs = options.maxWaitMs ?? this.ttlMs + 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes the lease of `key`, waiting while another holder's lease is valid. */
  async acquire(key: string): Promise<Lease> {
    const itemKey = `leases/${key}`;
    const owner = randomUUID();
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const current = (await this.store.read([itemKey]))[itemKey] as LeaseItem | undefined;
      const now = this.now();
      if (!current || !current.owner || current.expiresAt <= now) {
        try {
          await this.store.write({ [itemKey]: { owner, expiresAt: now + this.ttlMs, eTag: current?.eTag ?? ABSENT_ETAG } });
          return { release: () => this.release(itemKey, owner) };
        } catch (err) {
          if (!isEtagConflict(err)) throw err;
          // Someone else took it between our read and our write: wait for them like for any holder.
        }
      }
      const waited = performance.now() - started;
      if (waited > this.maxWaitMs) throw new LeaseTimeoutError(key, Math.round(waited));
      const delay = Math.min(this.pollMs * 2 ** Math.min(attempt, 3), 200) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async release(itemKey: string, owner: string): Promise<void> {
    const current = (await this.store.read([itemKey]))[itemKey] as LeaseItem | undefined;
    if (current?.owner !== owner) return;
    try {
      await this.store.write({ [itemKey]: { owner: null, expiresAt: 0, eTag: current.eTag } });
    } catch (err) {
      if (!isEtagConflict(err)) throw err;
    }
  }
}
