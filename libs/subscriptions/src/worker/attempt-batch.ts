import type { BatchAnswers } from '@nexus/jobs';
import type { EntityManager } from 'typeorm';

/** An attempt that leaves its message open or succeeded: the hot path, recorded many at a time. */
export interface HotAttempt {
  /** The delivery id. */
  id: string;
  zoneId: string;
  succeeded: boolean;
  at: Date;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** When the next attempt is due (retrying); null when it succeeded. */
  nextAttemptAt: Date | null;
}

/** What recording found: null when the message was no longer pending (nothing changed). */
export type HotAttemptAnswer = {
  subscriptionId: string;
  consecutiveFailures: number;
  failingSince: Date | null;
} | null;

// Every message of the batch changes; then each subscription once, its rows locked in id
// order (two workers' batches never deadlock on them), from the batch's aggregate.
const RECORD_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::int[], $5::int[], $6::timestamptz[],
                         $7::varchar[], $8::timestamptz[])
      AS i(id, zone_id, ok, response_status, latency_ms, at, error, next_at)),
  d AS (
    UPDATE webhook_deliveries w
       SET status = CASE WHEN i.ok THEN 'succeeded' ELSE 'pending' END, attempts = w.attempts + 1,
           response_status = i.response_status, latency_ms = i.latency_ms, last_error = i.error,
           last_attempt_at = i.at, next_attempt_at = i.next_at, updated_at = now()
      FROM input i
     WHERE w.id = i.id AND w.zone_id = i.zone_id AND w.status = 'pending'
    RETURNING w.id, w.subscription_id, i.ok, i.at),
  agg AS (
    SELECT subscription_id, count(*) FILTER (WHERE ok) AS succeeded, min(at) FILTER (WHERE NOT ok) AS first_failure,
           max(at) AS latest_at, (array_agg(ok ORDER BY at DESC))[1] AS latest_ok
      FROM d GROUP BY subscription_id),
  locked AS (
    SELECT s.id FROM webhook_subscriptions s WHERE s.id IN (SELECT subscription_id FROM agg) ORDER BY s.id FOR UPDATE),
  subs AS (
    UPDATE webhook_subscriptions s
       SET last_delivery_at = GREATEST(COALESCE(s.last_delivery_at, a.latest_at), a.latest_at),
           last_status = CASE WHEN a.latest_ok THEN 'succeeded' ELSE 'failed' END,
           consecutive_failures = CASE WHEN a.succeeded > 0 THEN 0 ELSE s.consecutive_failures END,
           failing_since = CASE WHEN a.latest_ok THEN NULL
                                ELSE COALESCE(CASE WHEN a.succeeded > 0 THEN NULL ELSE s.failing_since END, a.first_failure) END,
           succeeded_messages = s.succeeded_messages + a.succeeded
      FROM agg a JOIN locked l ON l.id = a.subscription_id
     WHERE s.id = a.subscription_id
    RETURNING s.id, s.consecutive_failures, s.failing_since)
  SELECT d.id, d.subscription_id, subs.consecutive_failures, subs.failing_since
    FROM d JOIN subs ON subs.id = d.subscription_id`;

/**
 * Records many attempts with one statement (one commit): each message's latest
 * attempt and its subscription's health. Only for attempts that leave the message
 * succeeded or still pending; given-up messages go through DeliveryRecorder's
 * transaction (disable, ordered promotion).
 */
export async function recordHotAttempts(
  manager: EntityManager,
  attempts: readonly HotAttempt[],
): Promise<BatchAnswers<HotAttemptAnswer>> {
  const rows = await manager.query<
    Array<{ id: string; subscription_id: string; consecutive_failures: number; failing_since: Date | null }>
  >(RECORD_SQL, [
    attempts.map((a) => a.id),
    attempts.map((a) => a.zoneId),
    attempts.map((a) => a.succeeded),
    attempts.map((a) => a.responseStatus),
    attempts.map((a) => Math.round(a.latencyMs)),
    attempts.map((a) => a.at),
    attempts.map((a) => a.error?.slice(0, 500) ?? null),
    attempts.map((a) => a.nextAttemptAt),
  ]);
  const answers: BatchAnswers<HotAttemptAnswer> = new Map(attempts.map((a) => [a.id, null]));
  for (const row of rows) {
    answers.set(row.id, {
      subscriptionId: row.subscription_id,
      consecutiveFailures: row.consecutive_failures,
      failingSince: row.failing_since,
    });
  }
  return answers;
}
