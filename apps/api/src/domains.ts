import { AUTH_DOMAIN } from '@nexus/auth';
import { composeDomains } from '@nexus/core';
import { EVENTS_DOMAIN } from '@nexus/events';
import { FILESYSTEM_DOMAIN } from '@nexus/filesystem';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { REBAC_DOMAIN } from '@nexus/rebac';
import { SEARCH_DOMAIN } from '@nexus/search';
import { SUBSCRIPTIONS_DOMAIN } from '@nexus/subscriptions';
import { WORKFLOWS_DOMAIN } from '@nexus/workflows';

/**
 * The domains the API serves: one line per domain. Their entities, migrations,
 * job types, event types and HTTP modules follow from this list. The API mounts
 * every domain, so the migration CLIs and the schema-drift test use this list too.
 */
export const API_DOMAINS = composeDomains([
  AUTH_DOMAIN,
  REBAC_DOMAIN,
  JOBS_DOMAIN,
  EVENTS_DOMAIN,
  FILESYSTEM_DOMAIN,
  SEARCH_DOMAIN,
  SUBSCRIPTIONS_DOMAIN,
  WORKFLOWS_DOMAIN,
]);
