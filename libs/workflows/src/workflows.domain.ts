import { AUTH_DOMAIN } from '@nexus/auth';
import { defineDomain } from '@nexus/core';
import { EVENTS_DOMAIN } from '@nexus/events';
import { FILESYSTEM_DOMAIN } from '@nexus/filesystem';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { SUBSCRIPTIONS_DOMAIN } from '@nexus/subscriptions';
import { Workflow } from './entities/workflow.entity';
import { WORKFLOWS_MIGRATIONS } from './migrations';
import { WorkflowsModule } from './workflows.module';

/**
 * Workflows: trigger → conditions → actions on a zone's events, run as their owner.
 * In progress: definitions (CRUD, strict validation, JSON/YAML export and import);
 * executions, the trigger consumer and the worker side come next.
 */
export const WORKFLOWS_DOMAIN = defineDomain({
  name: 'workflows',
  entities: [Workflow],
  migrations: WORKFLOWS_MIGRATIONS,
  requires: [AUTH_DOMAIN, FILESYSTEM_DOMAIN, EVENTS_DOMAIN, JOBS_DOMAIN, SUBSCRIPTIONS_DOMAIN],
  apiModule: () => WorkflowsModule.forApi(),
});
