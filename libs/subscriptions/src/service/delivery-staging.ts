import { randomUUID } from 'node:crypto';
import type { JobSubmitter } from '@nexus/jobs';
import type { EntityManager } from 'typeorm';
import type { DeliveryStatus } from '../entities/webhook-delivery.entity';
import { DELIVER_WEBHOOK_JOB } from '../jobs/subscription-job-types';
import { newMessageId } from '../signing/message-id';

/** A message to create: its body is fixed now, so every attempt signs the same bytes. */
export interface NewDelivery {
  subscriptionId: string;
  eventId: string | null;
  eventType: string;
  eventPosition: string | null;
  body: string;
  /** `pending` gets a job now; `waiting` (ordered, behind an earlier message) gets one when promoted. */
  status: Extract<DeliveryStatus, 'pending' | 'waiting'>;
}

export interface StagedDeliveries {
  /** The rows created (a message already made for the same subscription and event is not). */
  created: Array<{ id: string; messageId: string; subscriptionId: string; status: DeliveryStatus }>;
  /** Publishes their jobs; call after the transaction committed (the outbox sweeper covers a miss). */
  publish: () => Promise<void>;
}

/** Who submits delivery jobs (shown on the jobs). */
export const DELIVERY_SUBMITTER = 'system:subscriptions.deliver';

/**
 * Inserts messages and, for each pending one, its `subscriptions.deliver` job, in the
 * caller's transaction: a message exists exactly when its job does. The job's id is
 * the message's `job_id`; its attempts are the retry schedule's length.
 */
export async function stageDeliveries(
  manager: EntityManager,
  jobs: JobSubmitter,
  zoneId: string,
  deliveries: readonly NewDelivery[],
  maxAttempts: number,
): Promise<StagedDeliveries> {
  if (deliveries.length === 0) return { created: [], publish: async () => undefined };
  const rows = deliveries.map((delivery) => ({
    ...delivery,
    id: randomUUID(),
    messageId: newMessageId(),
    jobId: delivery.status === 'pending' ? randomUUID() : null,
  }));
  const created = await manager.query<
    Array<{ id: string; message_id: string; subscription_id: string; status: DeliveryStatus; job_id: string | null }>
  >(
    `INSERT INTO webhook_deliveries
       (id, zone_id, subscription_id, message_id, event_id, event_type, event_position, body, status, job_id)
     SELECT d.id, $1, d.subscription_id, d.message_id, d.event_id, d.event_type, d.event_position, d.body, d.status, d.job_id
       FROM unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::uuid[], $6::varchar[], $7::bigint[], $8::text[],
                   $9::varchar[], $10::uuid[])
         AS d(id, subscription_id, message_id, event_id, event_type, event_position, body, status, job_id)
     ON CONFLICT (subscription_id, event_id) WHERE event_id IS NOT NULL DO NOTHING
     RETURNING id, message_id, subscription_id, status, job_id`,
    [
      zoneId,
      rows.map((row) => row.id),
      rows.map((row) => row.subscriptionId),
      rows.map((row) => row.messageId),
      rows.map((row) => row.eventId),
      rows.map((row) => row.eventType),
      rows.map((row) => row.eventPosition),
      rows.map((row) => row.body),
      rows.map((row) => row.status),
      rows.map((row) => row.jobId),
    ],
  );
  const staged = await jobs.stage(
    manager,
    zoneId,
    DELIVERY_SUBMITTER,
    created
      .filter((row) => row.job_id !== null)
      .map((row) => ({
        id: row.job_id as string,
        type: DELIVER_WEBHOOK_JOB.type,
        payload: { deliveryId: row.id },
        maxAttempts,
      })),
  );
  return {
    created: created.map((row) => ({
      id: row.id,
      messageId: row.message_id,
      subscriptionId: row.subscription_id,
      status: row.status,
    })),
    publish: staged.publish,
  };
}

/**
 * Gives a delivery that is not pending a new job (an ordered subscription's next
 * message, or a manual retry): status `pending`, a fresh job id, in the caller's
 * transaction — or, with `behindOthers` (an ordered subscription busy with another
 * message), status `waiting` and no job yet. Null when the row is not in one of `from`.
 */
export async function restageDelivery(
  manager: EntityManager,
  jobs: JobSubmitter,
  zoneId: string,
  deliveryId: string,
  from: readonly DeliveryStatus[],
  maxAttempts: number,
  behindOthers = false,
): Promise<{ publish: () => Promise<void> } | null> {
  const jobId = behindOthers ? null : randomUUID();
  const [rows] = await manager.query<[Array<{ id: string }>, number]>(
    `UPDATE webhook_deliveries SET status = $5, job_id = $3, next_attempt_at = CASE WHEN $3::uuid IS NULL THEN NULL ELSE now() END,
            updated_at = now()
      WHERE id = $1 AND zone_id = $2 AND status = ANY($4::varchar[]) RETURNING id`,
    [deliveryId, zoneId, jobId, [...from], jobId === null ? 'waiting' : 'pending'],
  );
  if (rows.length === 0) return null;
  if (jobId === null) return { publish: async () => undefined };
  const staged = await jobs.stage(manager, zoneId, DELIVERY_SUBMITTER, [
    { id: jobId, type: DELIVER_WEBHOOK_JOB.type, payload: { deliveryId }, maxAttempts },
  ]);
  return { publish: staged.publish };
}

/**
 * For an ordered subscription: locks its row (so whoever finishes its current
 * message and whoever adds one agree on what goes next) and says whether a message
 * of it is pending or waiting already.
 */
export async function orderedSubscriptionBusy(manager: EntityManager, subscriptionId: string): Promise<boolean> {
  await manager.query(`SELECT id FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`, [subscriptionId]);
  const rows = await manager.query<unknown[]>(
    `SELECT 1 FROM webhook_deliveries WHERE subscription_id = $1 AND status IN ('pending', 'waiting') LIMIT 1`,
    [subscriptionId],
  );
  return rows.length > 0;
}
