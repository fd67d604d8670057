import { defineDomain } from '@nexus/core';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { REBAC_DOMAIN } from '@nexus/rebac';
import { FILESYSTEM_ENTITIES } from './entities';
import { FileEventVisibility } from './events/file-event-visibility';
import { FILE_EVENT_TYPES } from './events/file-events';
import { FilesystemModule } from './filesystem.module';
import { FILESYSTEM_JOB_TYPES } from './jobs/fs-job-types';
import { FILE_OBJECT_TYPE } from './access/fs-access';
import { FILESYSTEM_MIGRATIONS } from './migrations';

/**
 * Zones' file trees: paths, versions, content blobs, the operation log; file
 * events to the outbox; maintenance jobs (gc, integrity audit, cache reconcile).
 * Permissions are rebac's; the maintenance jobs record artifacts with the job system.
 */
export const FILESYSTEM_DOMAIN = defineDomain({
  name: 'filesystem',
  entities: FILESYSTEM_ENTITIES,
  migrations: FILESYSTEM_MIGRATIONS,
  jobTypes: FILESYSTEM_JOB_TYPES,
  eventTypes: FILE_EVENT_TYPES,
  // Who sees file events in the events API: readers of the entry (see FileEventVisibility).
  eventVisibility: [{ aggregateType: FILE_OBJECT_TYPE, filter: FileEventVisibility }],
  requires: [REBAC_DOMAIN, JOBS_DOMAIN],
  apiModule: () => FilesystemModule.forApi(),
  workerModule: () => FilesystemModule.forWorker(),
});
