import { MemoryStorage, Storage } from 'botbuilder';
import type { RecoveringBlobsStorage } from './blobStorage';
import { BotConfig, ConfigError } from './config';
import { FileStorage } from './fileStorage';
import { ResilientStorage } from './resilientStorage';

/** The storage STORAGE names; file and blob storage fail with StorageUnavailableError when unreachable. */
export function createStorage(config: BotConfig): Storage {
  switch (config.storage) {
    case 'memory':
      return new MemoryStorage();
    case 'file':
      return new ResilientStorage(new FileStorage(config.storageDir), config.storageTimeoutMs);
    case 'blob': {
      if (!config.azureStorageConnectionString) throw new ConfigError('STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING');
      // Loaded only when used: the Azure SDK weighs on the memory of every process that merely requires it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { RecoveringBlobsStorage: Blobs } = require('./blobStorage') as { RecoveringBlobsStorage: typeof RecoveringBlobsStorage };
      // The SDK's own retries stay within what a turn waits for (ResilientStorage gives up after the same time).
      const retryOptions = { maxTries: 2, tryTimeoutInMs: config.storageTimeoutMs, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };
      return new ResilientStorage(
        new Blobs(config.azureStorageConnectionString, config.azureStorageContainer, { storagePipelineOptions: { retryOptions } }),
        config.storageTimeoutMs,
      );
    }
  }
}
