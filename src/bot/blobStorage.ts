import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { Storage, StoreItems } from 'botbuilder';
import { BlobsStorage, BlobsStorageOptions } from 'botbuilder-azure-blobs';
import { ABSENT_ETAG } from '../core/storage';
import { sanitizeBlobKey } from './sdkInternals';

/** A storage account reached by URL with a token credential (managed identity) instead of a connection string. */
export interface BlobAccount {
  /** The account's blob endpoint, e.g. https://<account>.blob.core.windows.net (no container). */
  accountUrl: string;
  credential: TokenCredential;
}

/**
 * The token credential for AZURE_STORAGE_ACCOUNT_URL: the user-assigned managed identity AZURE_CLIENT_ID names, or
 * else DefaultAzureCredential (a system-assigned managed identity in Azure, workload identity, `az login` locally…).
 */
export function storageCredential(clientId?: string): TokenCredential {
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}

/**
 * botbuilder-azure-blobs' BlobsStorage (eTags honoured: a stale eTag fails with "…eTag conflict", "*" overwrites),
 * with two additions:
 * - "create if absent" (ABSENT_ETAG): uploaded with If-None-Match: *, so of two instances creating the same item
 *   (the first ticket counter, a conversation lease) exactly one succeeds; BlobsStorage itself has no such write.
 * - recovery from an outage at start-up: BlobsStorage 4.23 keeps the promise of its first "create the container
 *   if missing" call, so an instance whose first call failed (storage unreachable when the process started) would
 *   fail forever. Until a call has succeeded, a failure replaces the instance with a fresh one.
 */
export class RecoveringBlobsStorage implements Storage {
  private inner: BlobsStorage;
  private ready = false;
  private readonly container: ContainerClient;
  private containerReady?: Promise<unknown>;
  private readonly create: () => BlobsStorage;

  /** `target`: the account's connection string (shared key), or its URL and a token credential. */
  constructor(target: string | BlobAccount, containerName: string, options?: BlobsStorageOptions) {
    if (typeof target === 'string') {
      this.create = () => new BlobsStorage(target, containerName, options);
      this.container = new ContainerClient(target, containerName, options?.storagePipelineOptions);
    } else {
      const url = `${target.accountUrl.replace(/\/+$/, '')}/${encodeURIComponent(containerName)}`;
      // BlobsStorage takes a container URL and a credential when its connection string and container name are empty.
      this.create = () => new BlobsStorage('', '', options, url, target.credential);
      this.container = new ContainerClient(url, target.credential, options?.storagePipelineOptions);
    }
    this.inner = this.create();
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

  async write(changes: StoreItems): Promise<void> {
    const creates = Object.entries(changes ?? {}).filter(([, v]) => (v as { eTag?: string } | undefined)?.eTag === ABSENT_ETAG);
    const others = Object.fromEntries(Object.entries(changes ?? {}).filter(([, v]) => (v as { eTag?: string })?.eTag !== ABSENT_ETAG));
    await Promise.all(creates.map(([key, value]) => this.createIfAbsent(key, value as Record<string, unknown>)));
    if (Object.keys(others).length || !creates.length) await this.run((s) => s.write(others));
  }

  delete(keys: string[]): Promise<void> {
    return this.run((s) => s.delete(keys));
  }

  private async createIfAbsent(key: string, value: Record<string, unknown>): Promise<void> {
    const { eTag: _absent, ...item } = value;
    const body = Buffer.from(JSON.stringify(item));
    this.containerReady ??= this.container.createIfNotExists().catch((err: unknown) => {
      this.containerReady = undefined;
      throw err;
    });
    await this.containerReady;
    try {
      await this.container.getBlockBlobClient(sanitizeBlobKey(key)).upload(body, body.length, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 409 || status === 412) throw new Error(`Storage: error writing "${key}" due to eTag conflict (it exists already).`);
      throw err;
    }
  }
}
