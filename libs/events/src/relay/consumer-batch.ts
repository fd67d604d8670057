import { Logger } from '@nestjs/common';
import type { DeliveredEvent, EventConsumer } from '@nexus/core';
import { SYSTEM_EVENT_ZONE } from '@nexus/storage-models';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** A declared consumer with its handler resolved. */
export interface RelayConsumer {
  name: string;
  domain: string;
  eventTypes: readonly string[];
  handler: EventConsumer<EntityManager>;
}

export type BatchOutcome =
  /** Another worker holds this consumer/zone, or it waits out a backoff. */
  | { kind: 'skipped' }
  | { kind: 'done'; read: number; delivered: number; position: string }
  | { kind: 'failed'; position: string; failures: number; retryInSeconds: number; error: string };

/** Longest last_error kept: enough to diagnose, too short to carry a payload along. */
export const LAST_ERROR_MAX_CHARS = 500;

/** Seconds before retrying after the `failures`-th failure in a row: 1, 2, 4 … at most 60. */
export function retryDelaySeconds(failures: number): number {
  return Math.min(60, 2 ** Math.max(0, failures - 1));
}

/** The error's message only (never its payload-bearing properties), cut to LAST_ERROR_MAX_CHARS. */
export function errorMessageOf(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.length > LAST_ERROR_MAX_CHARS ? `${message.slice(0, LAST_ERROR_MAX_CHARS - 1)}…` : message;
}

const afterCommitLogger = new Logger('EventRelay');

const ENSURE_ROW_SQL = `
  INSERT INTO event_consumer_positions (consumer, zone_key) VALUES ($1, $2)
  ON CONFLICT (consumer, zone_key) DO NOTHING`;

// SKIP LOCKED: a row another worker holds is that worker's batch; the backoff is re-checked on the row locked.
const LOCK_SQL = `
  SELECT position, failures FROM event_consumer_positions
   WHERE consumer = $1 AND zone_key = $2 AND (retry_at IS NULL OR retry_at <= now())
     FOR UPDATE SKIP LOCKED`;

// Events of other types are read too (without their payload): the position passes over them.
const READ_SQL = `
  SELECT zone_position, event_id, type, zone_id, aggregate_type, aggregate_id, actor_type, actor_id,
         occurred_at, revision, causation_id, causation_depth, correlation_id,
         (type = ANY($4::varchar[]) OR '*' = ANY($4::varchar[])) AS wanted,
         CASE WHEN type = ANY($4::varchar[]) OR '*' = ANY($4::varchar[]) THEN payload END AS payload
    FROM outbox_events
   WHERE zone_key = $1 AND zone_position > $2
   ORDER BY zone_position
   LIMIT $3`;

const ADVANCE_SQL = `
  UPDATE event_consumer_positions
     SET position = $3, failures = 0, last_error = NULL, retry_at = NULL, updated_at = now()
   WHERE consumer = $1 AND zone_key = $2`;

// After the rollback, so the row lock is gone: `position = $3` leaves a row another worker moved on alone.
const RECORD_FAILURE_SQL = `
  UPDATE event_consumer_positions
     SET failures = failures + 1, last_error = $4, retry_at = now() + make_interval(secs => $5),
         updated_at = now()
   WHERE consumer = $1 AND zone_key = $2 AND position = $3`;

interface EventRow {
  zone_position: string;
  event_id: string;
  type: string;
  zone_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  actor_type: string | null;
  actor_id: string | null;
  occurred_at: Date;
  revision: string | null;
  causation_id: string | null;
  causation_depth: number;
  correlation_id: string | null;
  wanted: boolean;
  payload: Record<string, unknown> | null;
}

function toDelivered(row: EventRow): DeliveredEvent {
  return {
    id: row.event_id,
    type: row.type,
    zoneId: row.zone_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    actor:
      row.actor_type !== null && row.actor_id !== null ? { type: row.actor_type, id: row.actor_id } : null,
    occurredAt: row.occurred_at.toISOString(),
    revision: row.revision,
    payload: row.payload ?? {},
    causationId: row.causation_id,
    causationDepth: row.causation_depth,
    correlationId: row.correlation_id,
    position: row.zone_position,
  };
}

async function runAfterCommit(consumer: RelayConsumer, tasks: ReadonlyArray<() => Promise<void>>): Promise<void> {
  for (const task of tasks) {
    try {
      await task();
    } catch (error) {
      afterCommitLogger.warn(`After-commit task of consumer ${consumer.name} failed: ${errorMessageOf(error)}`);
    }
  }
}

async function recordFailure(
  runner: QueryRunner,
  consumer: RelayConsumer,
  zoneKey: string,
  locked: { position: string; failures: number },
  error: unknown,
): Promise<BatchOutcome> {
  if (runner.isTransactionActive) await runner.rollbackTransaction();
  const failures = locked.failures + 1;
  const retryInSeconds = retryDelaySeconds(failures);
  const message = errorMessageOf(error);
  await runner.query(RECORD_FAILURE_SQL, [consumer.name, zoneKey, locked.position, message, retryInSeconds]);
  return { kind: 'failed', position: locked.position, failures, retryInSeconds, error: message };
}

/**
 * One batch of one consumer in one zone, in one transaction: lock the position
 * row, read the next events, hand the consumer's own types to the handler with
 * the transaction, move the position past every event read, commit. A handler
 * that throws rolls it all back and the failure is recorded (with its backoff).
 * A worker that dies mid-batch drops its connection and with it the lock: the
 * next owner redoes this batch only.
 */
export async function runConsumerBatch(
  dataSource: DataSource,
  consumer: RelayConsumer,
  zoneKey: string,
  options: { batchSize: number; ensureRow: boolean },
): Promise<BatchOutcome> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Committed on its own: the row must exist before it can be locked.
    if (options.ensureRow) await runner.query(ENSURE_ROW_SQL, [consumer.name, zoneKey]);
    await runner.startTransaction();
    const [locked] = (await runner.query(LOCK_SQL, [consumer.name, zoneKey])) as Array<{
      position: string;
      failures: number;
    }>;
    if (!locked) {
      await runner.rollbackTransaction();
      return { kind: 'skipped' };
    }
    const rows = (await runner.query(READ_SQL, [
      zoneKey,
      locked.position,
      options.batchSize,
      consumer.eventTypes,
    ])) as EventRow[];
    const last = rows.at(-1);
    if (!last) {
      // Another worker's batch committed between the find-work pass and this lock.
      await runner.rollbackTransaction();
      return { kind: 'done', read: 0, delivered: 0, position: locked.position };
    }
    const events = rows.filter((row) => row.wanted).map(toDelivered);
    const afterCommit: Array<() => Promise<void>> = [];
    try {
      if (events.length > 0) {
        await consumer.handler.handle({
          consumer: consumer.name,
          zoneId: zoneKey === SYSTEM_EVENT_ZONE ? null : zoneKey,
          events,
          transaction: runner.manager,
          afterCommit: (task) => afterCommit.push(task),
        });
      }
      await runner.query(ADVANCE_SQL, [consumer.name, zoneKey, last.zone_position]);
      await runner.commitTransaction();
    } catch (error) {
      return await recordFailure(runner, consumer, zoneKey, locked, error);
    }
    await runAfterCommit(consumer, afterCommit);
    return { kind: 'done', read: rows.length, delivered: events.length, position: last.zone_position };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }
}
