import { Module } from '@nestjs/common';
import type { Provider } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { BLOB_STORE } from '../filesystem.tokens';
import { LocalDiskBlobStore } from './local-disk-blob-store';

/** Files up to this size when the process's config sets no limit (the worker's does not). */
const DEFAULT_MAX_FILE_BYTES = 1024 ** 3;

const blobStore: Provider = {
  provide: BLOB_STORE,
  inject: [BaseConfig],
  useFactory: (config: BaseConfig & { NEXUS_MAX_FILE_BYTES?: number }) =>
    new LocalDiskBlobStore({
      rootDir: config.NEXUS_DATA_DIR,
      maxBytes: config.NEXUS_MAX_FILE_BYTES ?? DEFAULT_MAX_FILE_BYTES,
    }),
};

/** The content blob store alone (BLOB_STORE), for domains that read file content (search's indexer). Needs ConfigModule. */
@Module({ providers: [blobStore], exports: [BLOB_STORE] })
export class BlobStoreModule {}
