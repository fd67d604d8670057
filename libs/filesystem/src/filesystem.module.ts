import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { FsAccess } from './access/fs-access';
import { WriteGate } from './access/write-gate';
import { BlobStoreModule } from './blob/blob-store.module';
import { MetadataCache } from './cache/metadata-cache';
import { FILESYSTEM_CONTROLLERS, FILESYSTEM_HTTP_PROVIDERS } from './api/filesystem-api';
import { FileEventVisibility } from './events/file-event-visibility';
import { FsMutations } from './mutation/fs-mutations';
import { FileReader } from './service/file-reader.service';
import { FileWriter } from './service/file-writer.service';
import { FsLocks } from './service/fs-locks.service';
import { FsReader } from './service/fs-reader.service';
import { FsTree } from './service/fs-tree.service';
import { FsContentOps } from './service/fs-content-ops.service';
import { FsMetadataWriter } from './service/fs-metadata-writer.service';
import { BlobGcJobHandler } from './jobs/blob-gc.handler';
import { BlobIntegrityAuditJobHandler } from './jobs/blob-integrity-audit.handler';
import { CacheReconcileJobHandler } from './jobs/cache-reconcile.handler';
import { FsMaintenanceSchedule } from './jobs/fs-maintenance-schedule';
import { PruneOperationLogJobHandler } from './jobs/prune-operation-log.handler';

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
  FsMetadataWriter,
];

/**
 * The filesystem's services (reads, writes, permissions, the blob store) without
 * its routes, for the filesystem's own API module and for other domains' API
 * modules that read files (search). A static module: Nest creates it once
 * however many modules import it.
 */
@Module({ imports: [BlobStoreModule], providers: SERVICES, exports: [BlobStoreModule, ...SERVICES] })
export class FilesystemServicesModule {}

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
      imports: [FilesystemServicesModule],
      controllers: FILESYSTEM_CONTROLLERS,
      providers: [...FILESYSTEM_HTTP_PROVIDERS, FileEventVisibility],
      exports: [FilesystemServicesModule],
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
      imports: [BlobStoreModule],
      providers: [
        MetadataCache,
        BlobGcJobHandler,
        BlobIntegrityAuditJobHandler,
        CacheReconcileJobHandler,
        PruneOperationLogJobHandler,
        ...scheduler,
      ],
      exports: [BlobStoreModule, MetadataCache],
    };
  }
}
