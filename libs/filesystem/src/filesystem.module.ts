import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { FsAccess } from './access/fs-access';
import { WriteGate } from './access/write-gate';
import { LocalDiskBlobStore } from './blob/local-disk-blob-store';
import { MetadataCache } from './cache/metadata-cache';
import { FILESYSTEM_CONTROLLERS, FILESYSTEM_HTTP_PROVIDERS } from './api/filesystem-api';
import { FileEventVisibility } from './events/file-event-visibility';
import { BLOB_STORE } from './filesystem.tokens';
import { FsMutations } from './mutation/fs-mutations';
import { FileReader } from './service/file-reader.service';
import { FileWriter } from './service/file-writer.service';
import { FsLocks } from './service/fs-locks.service';
import { FsReader } from './service/fs-reader.service';
import { FsTree } from './service/fs-tree.service';
import { FsContentOps } from './service/fs-content-ops.service';
import { BlobGcJobHandler } from './jobs/blob-gc.handler';
import { BlobIntegrityAuditJobHandler } from './jobs/blob-integrity-audit.handler';
import { CacheReconcileJobHandler } from './jobs/cache-reconcile.handler';
import { FsMaintenanceSchedule } from './jobs/fs-maintenance-schedule';
import { PruneOperationLogJobHandler } from './jobs/prune-operation-log.handler';

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

const SERVICES = [
  FsAccess,
  WriteGate,
  MetadataCache,
  FsMutations,
  FsLocks,
  FsReader,
  FileReader,
  FileWriter,
  FsTree,
  FsContentOps,
];

/**
 * The filesystem domain. Needs from the app: ConfigModule, DatabaseModule,
 * KvModule and RebacModule.forRoot() (all global), and AuthModule's guard for
 * the HTTP side.
 */
@Module({})
export class FilesystemModule {
  static forApi(): DynamicModule {
    return {
      module: FilesystemModule,
      controllers: FILESYSTEM_CONTROLLERS,
      providers: [blobStore, ...SERVICES, ...FILESYSTEM_HTTP_PROVIDERS, FileEventVisibility],
      exports: [BLOB_STORE, ...SERVICES],
    };
  }

  /**
   * The worker side: the filesystem's job handlers (gc, integrity audit, cache
   * reconcile, operation log retention) and, unless `schedule` is false (tests of
   * the handlers alone), the schedule of the periodic ones. Needs ConfigModule
   * (WorkerConfig), DatabaseModule, KvModule and JobsModule.forWorker() (global:
   * JobSubmitter, PeriodicJobs).
   */
  static forWorker(options: { schedule?: boolean } = {}): DynamicModule {
    const scheduler = options.schedule === false ? [] : [FsMaintenanceSchedule];
    return {
      module: FilesystemModule,
      providers: [
        blobStore,
        MetadataCache,
        BlobGcJobHandler,
        BlobIntegrityAuditJobHandler,
        CacheReconcileJobHandler,
        PruneOperationLogJobHandler,
        ...scheduler,
      ],
      exports: [BLOB_STORE, MetadataCache],
    };
  }
}
