import { defineDomain } from '@nexus/core';
import { JobArtifact } from './entities/job-artifact.entity';
import { Job } from './entities/job.entity';
import { WorkerHeartbeat } from './entities/worker-heartbeat.entity';
import { JobsModule } from './jobs.module';
import { SYSTEM_JOB_TYPES } from './jobs/system-job-types';
import { JOBS_MIGRATIONS } from './migrations';

/**
 * The job system as a domain: its tables, the system job types it handles
 * itself, and the jobs/workers HTTP API. The worker side (processor host,
 * sweepers, these handlers) is JobsModule.forWorker(), which the worker app
 * mounts with its flags.
 */
export const JOBS_DOMAIN = defineDomain({
  name: 'jobs',
  entities: [Job, JobArtifact, WorkerHeartbeat],
  migrations: JOBS_MIGRATIONS,
  jobTypes: SYSTEM_JOB_TYPES,
  apiModule: () => JobsModule.forApi(),
});
