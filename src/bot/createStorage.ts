import { MemoryStorage, Storage } from 'botbuilder';
import type { RecoveringBlobsStorage, storageCredential } from './blobStorage';
import { BotConfig } from './config';
import { FileStorage } from './fileStorage';
import { ResilientStorage } from './resilientStorage';
import { withStorageSpans } from './telemetry';

/** The storage STORAGE names; file and blob storage fail with StorageUnavailableError when unreachable. */
export function createStorage(config: BotConfig): Storage {
  switch (config.storage) {
    case 'memory':
      return withStorageSpans(config, new MemoryStorage(), 'memory');
    case 'file':
      return new ResilientStorage(withStorageSpans(config, new FileStorage(config.storageDir), 'file'), config.storageTimeoutMs);
    case 'blob': {
      // Loaded only when used: the Azure SDK weighs on the memory of every process that merely requires it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const blobs = require('./blobStorage') as {
        RecoveringBlobsStorage: typeof RecoveringBlobsStorage;
        storageCredential: typeof storageCredential;
      };
      // readConfig refuses STORAGE=blob without exactly one of the two, with the message an operator reads.
      const target = config.azureStorageAccountUrl
        ? { accountUrl: config.azureStorageAccountUrl, credential: blobs.storageCredential(config.azureClientId) }
        : config.azureStorageConnectionString!;
      // The SDK's own retries stay within what a turn waits for (ResilientStorage gives up after the same time).
      const retryOptions = { maxTries: 2, tryTimeoutInMs: config.storageTimeoutMs, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };
      const blob = new blobs.RecoveringBlobsStorage(target, config.azureStorageContainer, { storagePipelineOptions: { retryOptions } });
      return new ResilientStorage(withStorageSpans(config, blob, 'blob'), config.storageTimeoutMs);
    }
  }
}
