import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '@nexus/core';
import { RebacInTransaction } from '@nexus/rebac';
import { TypeOrmOutbox, sqlStateOf } from '@nexus/storage-models';
import { DataSource } from 'typeorm';
import type { BlobStore } from '../blob/blob-store';
import { MetadataCache } from '../cache/metadata-cache';
import { BLOB_STORE } from '../filesystem.tokens';
import { invalidPath } from '../path/zone-path';
import { Mutation } from './mutation';
import { RevisionStamps } from './revision-stamps';

/** Deadlock and serialization failures: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
/** program_limit_exceeded: here, a path whose index entry is over PostgreSQL's btree limit. */
const PROGRAM_LIMIT_EXCEEDED = '54000';
const ATTEMPTS = 4;

/**
 * Runs a filesystem mutation: one transaction for the rows, the operation log,
 * the outbox events, blob references and permission tuples; then, after the
 * commit, the zone revision bump in raft-kv, the revision stamped on the log
 * rows and the cache write-through. Deadlocks between concurrent mutations are
 * retried (the work function must be re-runnable: it only touches the database).
 */
@Injectable()
export class FsMutations {
  private readonly logger = new Logger('FsMutations');
  private readonly stamps: RevisionStamps;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rebac: RebacInTransaction,
    private readonly cache: MetadataCache,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly outbox: TypeOrmOutbox,
  ) {
    this.stamps = new RevisionStamps(dataSource);
  }

  async run<T>(
    principal: Principal,
    work: (mutation: Mutation) => Promise<T>,
  ): Promise<T & { revision: string | null }> {
    await this.rebac.prepare(principal.zoneId);
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, mutation } = await this.dataSource.transaction(async (manager) => {
          const mutation = new Mutation(manager, principal, this.rebac, this.blobs, this.outbox);
          const result = await work(mutation);
          await mutation.flush();
          return { result, mutation };
        });
        const revision = await this.afterCommit(mutation);
        return { ...result, revision: revision === null ? null : revision.toString() };
      } catch (error) {
        const state = sqlStateOf(error);
        if (state === PROGRAM_LIMIT_EXCEEDED && /index row size/.test((error as Error).message))
          throw invalidPath('not-indexable');
        if (attempt >= ATTEMPTS || state === undefined || !RETRYABLE.has(state)) throw error;
        this.logger.debug(`mutation retried after SQLSTATE ${state} (attempt ${attempt})`);
      }
    }
  }

  private async afterCommit(mutation: Mutation): Promise<bigint | null> {
    this.rebac.committed(mutation.zoneId, mutation.rebacRevision);
    if (mutation.operationIds.length === 0) return this.currentRevision(mutation.zoneId);
    let revision: bigint;
    try {
      revision = await this.cache.bump(mutation.zoneId);
    } catch (error) {
      // Committed is committed: answer without a revision; the reconciler repairs the cache.
      this.logger.error(
        `zone revision bump failed after commit: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
    // Independent of each other (PostgreSQL and raft-kv): both at once.
    await Promise.all([
      this.stamps.stamp(mutation.operationIds, revision),
      this.cache.apply(mutation.zoneId, [...mutation.changed.values()], [...mutation.removed], revision),
    ]);
    return revision;
  }

  private async currentRevision(zoneId: string): Promise<bigint | null> {
    return this.cache.revision(zoneId).catch(() => null);
  }
}
