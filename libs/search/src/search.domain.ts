import { defineDomain, defineEventConsumer } from '@nexus/core';
import { EVENTS_DOMAIN } from '@nexus/events';
import { FILESYSTEM_DOMAIN } from '@nexus/filesystem';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { SearchDocument } from './entities/search-document.entity';
import { SearchEmbedding } from './entities/search-embedding.entity';
import { SearchOpenSegment, SearchPosting } from './entities/search-posting.entity';
import { SearchEmbedConsumer } from './hybrid/search-embed.consumer';
import { INDEXED_EVENT_TYPES, SearchIndexConsumer } from './index/search-index.consumer';
import { SEARCH_JOB_TYPES } from './jobs/search-job-types';
import { SEARCH_MIGRATIONS } from './migrations';
import { SearchModule } from './search.module';

/**
 * Search over zones' files: the index (search_documents) kept in step with
 * file events by the `search.index` consumer, glob over paths, grep over
 * content narrowed by a byte-trigram index, BM25 full-text (optionally fused
 * with vector similarity: `search.embed`), and reindex as a job.
 */
export const SEARCH_DOMAIN = defineDomain({
  name: 'search',
  entities: [SearchDocument, SearchPosting, SearchOpenSegment, SearchEmbedding],
  migrations: SEARCH_MIGRATIONS,
  jobTypes: SEARCH_JOB_TYPES,
  eventConsumers: [
    defineEventConsumer({
      name: 'search.index',
      eventTypes: INDEXED_EVENT_TYPES,
      handler: SearchIndexConsumer,
      summary: 'Keeps the search index in step with file writes, deletes, renames and metadata changes',
    }),
    // A cursor of its own: an embeddings provider that is down or slow holds back
    // only the vectors (hybrid ranking), never the index grep and BM25 read.
    defineEventConsumer({
      name: 'search.embed',
      eventTypes: INDEXED_EVENT_TYPES,
      handler: SearchEmbedConsumer,
      summary:
        'Embeds live text files for hybrid ranking (when NEXUS_SEARCH_EMBEDDINGS configures a provider)',
    }),
  ],
  requires: [FILESYSTEM_DOMAIN, EVENTS_DOMAIN, JOBS_DOMAIN],
  apiModule: () => SearchModule.forApi(),
  workerModule: () => SearchModule.forWorker(),
});
