import { randomUUID } from 'crypto';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { Storage, StoreItems } from 'botbuilder';
import { ABSENT_ETAG } from '../core/storage';

/**
 * Bot Framework storage in a folder: one JSON file per key, written atomically (temp file + rename), eTags
 * honoured (a write with a stale eTag fails, "*" or no eTag overwrites, ABSENT_ETAG creates only if absent, atomically
 * even across processes: a hard link fails if the file exists). Writes to the same key are serialised within the
 * process. Survives restarts: a bot restarted mid-conversation continues where the user was.
 * eTag checks are atomic within one process only: for several instances, use STORAGE=blob.
 */
export class FileStorage implements Storage {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${encodeURIComponent(key)}.json`);
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    }
  }

  private async readOne(key: string): Promise<Record<string, unknown> | undefined> {
    try {
      return JSON.parse(await fsp.readFile(this.file(key), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('FileStorage.read: keys must be an array');
    const out: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const item = await this.readOne(key);
        if (item !== undefined) out[key] = item;
      }),
    );
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new Error('FileStorage.write: changes must be an object');
    await fsp.mkdir(this.dir, { recursive: true });
    for (const [key, value] of Object.entries(changes)) {
      await this.withLock(key, async () => {
        const incoming = value as Record<string, unknown>;
        const etag = incoming.eTag as string | undefined;
        const conflict = (): Error => new Error(`Storage: eTag conflict on "${key}": the item was changed by someone else`);
        const stored = { ...incoming, eTag: randomUUID() };
        const tmp = `${this.file(key)}.${process.pid}.${randomUUID()}.tmp`;
        if (etag === ABSENT_ETAG) {
          await fsp.writeFile(tmp, JSON.stringify(stored));
          try {
            await fsp.link(tmp, this.file(key));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw conflict();
            throw err;
          } finally {
            await fsp.rm(tmp, { force: true });
          }
          return;
        }
        if (etag && etag !== '*') {
          // A specific eTag is a precondition: the item must still exist with that eTag (as in Azure Blob Storage).
          const current = await this.readOne(key);
          if (!current || current.eTag !== etag) throw conflict();
        }
        await fsp.writeFile(tmp, JSON.stringify(stored));
        await fsp.rename(tmp, this.file(key));
      });
    }
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map((key) =>
        this.withLock(key, async () => {
          await fsp.rm(this.file(key), { force: true });
        }),
      ),
    );
  }
}
