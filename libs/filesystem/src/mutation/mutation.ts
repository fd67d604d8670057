import { randomUUID } from 'node:crypto';
import type { DomainEvent, OutboxWriter, Principal } from '@nexus/core';
import { RequestContext, ServiceUnavailableError, createDomainEvent } from '@nexus/core';
import type { RebacInTransaction, RelationTuple } from '@nexus/rebac';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { BlobStore } from '../blob/blob-store';
import { actorOf } from '../access/fs-actor';
import { FILE_OBJECT_TYPE } from '../access/fs-access';
import type { FileEventType } from '../events/file-events';
import type { FilePath } from '../entities/file-path.entity';
import { OperationLogEntry } from '../entities/operation-log.entity';
import type { FsOperation } from '../entities/operation-log.entity';
import type { FileStat } from '../fs.types';
import { BlobRefs } from '../store/blob-refs';
import type { RefDelta } from '../store/blob-refs';
import { addRef } from '../store/blob-refs';
import { toFileStat } from './file-stat';

/** Rows per INSERT statement (each log row takes 8 parameters). */
const INSERT_CHUNK = 1_000;

/**
 * One filesystem mutation inside its transaction: the work functions change
 * rows through `manager` and record here what else must commit with them —
 * operation log entries, file events, blob reference changes, tuple changes —
 * and what the cache must learn after the commit. `flush` writes the records.
 */
export class Mutation {
  readonly actor: string;
  readonly zoneId: string;
  readonly operationIds: string[] = [];
  readonly changed = new Map<string, FileStat>();
  readonly removed = new Set<string>();
  rebacRevision: bigint | null = null;
  private readonly log: QueryDeepPartialEntity<OperationLogEntry>[] = [];
  private readonly events: DomainEvent[] = [];
  private readonly refs: RefDelta = new Map();
  private readonly tupleChanges: Array<
    | { writes: readonly RelationTuple[]; deletes: readonly RelationTuple[] }
    | { droppedObjects: readonly string[] }
  > = [];

  constructor(
    readonly manager: EntityManager,
    readonly principal: Principal,
    private readonly rebac: RebacInTransaction,
    private readonly blobs: BlobStore,
    private readonly outbox: OutboxWriter<EntityManager>,
  ) {
    this.actor = actorOf(principal);
    this.zoneId = principal.zoneId;
  }

  /** Records the operation (one log row per user-visible operation). */
  operation(
    op: FsOperation,
    path: string,
    fromPath: string | null = null,
    details: Record<string, unknown> | null = null,
  ): void {
    const id = randomUUID();
    this.operationIds.push(id);
    // TypeORM's partial-entity type cannot express a free-form jsonb object; the column takes any JSON.
    this.log.push({
      id,
      zoneId: this.zoneId,
      actor: this.actor,
      op,
      path,
      fromPath,
      result: 'ok',
      details: details as object,
    });
  }

  /**
   * Records a file event for the outbox; `payload.id` is the entry's id (the
   * aggregate). The zone revision is assigned after the commit (raft-kv), so the
   * event carries none; the operation log rows get it.
   */
  event(type: FileEventType, path: string, payload: { id: string } & Record<string, unknown>): void {
    this.events.push(
      createDomainEvent({
        type,
        zoneId: this.zoneId,
        aggregateType: FILE_OBJECT_TYPE,
        aggregateId: payload.id,
        actor: { type: this.principal.subjectType, id: this.principal.subjectId },
        revision: null,
        payload: { path, ...payload },
        causationId: null,
        correlationId: RequestContext.requestId() ?? null,
      }),
    );
  }

  /** The entry now looks like this (cache write-through after commit). */
  touched(row: FilePath): void {
    const stat = toFileStat(row);
    this.removed.delete(stat.path);
    this.changed.set(stat.path, stat);
  }

  /** The path no longer exists (cache tombstone after commit). */
  gone(path: string): void {
    this.changed.delete(path);
    this.removed.add(path);
  }

  reference(hash: string, size: number, count = 1): void {
    addRef(this.refs, hash, size, count);
  }

  /** Tuple changes wait for `flush`: see there. */
  writeTuples(writes: readonly RelationTuple[], deletes: readonly RelationTuple[] = []): void {
    this.tupleChanges.push({ writes, deletes });
  }

  /** The entries are gone: so are their permissions (as objects and as parents). */
  dropPermissions(entryIds: readonly string[]): void {
    this.tupleChanges.push({ droppedObjects: entryIds });
  }

  /** Writes what was recorded; called once, last, inside the transaction. */
  async flush(): Promise<void> {
    await BlobRefs.apply(this.manager, this.refs);
    // GC deletes a blob under its row lock, which the upsert above now holds or waited for:
    // a blob referenced here that is no longer stored was collected in between.
    for (const [hash, change] of this.refs) {
      if (change.count > 0 && !(await this.blobs.exists(hash)))
        throw new ServiceUnavailableError('The content was garbage-collected while it was written; retry', {
          hash,
        });
    }
    // In chunks: a copy of a large tree records thousands of events, past PostgreSQL's parameter limit in one INSERT.
    for (let i = 0; i < this.log.length; i += INSERT_CHUNK)
      await this.manager.insert(OperationLogEntry, this.log.slice(i, i + INSERT_CHUNK));
    // Late, in the order recorded: a tuple change takes the zone's permission lock, which serialises
    // every permission write of the zone until this transaction commits — so it is held for as
    // short a time as possible.
    for (const change of this.tupleChanges) {
      const revision =
        'droppedObjects' in change
          ? await this.rebac.deleteObjects(this.manager, this.zoneId, FILE_OBJECT_TYPE, change.droppedObjects)
          : await this.rebac.write(this.manager, this.zoneId, change);
      this.advance(revision);
    }
    // Last: appending locks the zone's event positions until commit (commit-ordered events), and
    // after the permission lock — the one lock order every writer of both follows.
    await this.outbox.append(this.manager, this.events);
  }

  private advance(revision: bigint | null): void {
    if (revision !== null && (this.rebacRevision === null || revision > this.rebacRevision))
      this.rebacRevision = revision;
  }
}
