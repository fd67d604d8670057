import { composeDomains } from '@nexus/core';
import { EVENTS_DOMAIN } from '@nexus/events';
import { FILESYSTEM_DOMAIN } from '@nexus/filesystem';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { SEARCH_DOMAIN } from '@nexus/search';
import { SUBSCRIPTIONS_DOMAIN } from '@nexus/subscriptions';

/**
 * The domains whose jobs the worker runs: one line per domain. Their entities,
 * migrations, job types and handler modules follow from this list; the worker
 * refuses to start unless every declared job type has exactly one handler.
 */
export const WORKER_DOMAINS = composeDomains([
  JOBS_DOMAIN,
  EVENTS_DOMAIN,
  FILESYSTEM_DOMAIN,
  SEARCH_DOMAIN,
  SUBSCRIPTIONS_DOMAIN,
]);
