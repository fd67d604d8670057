import { Inject, Injectable } from '@nestjs/common';
import { createDomainEvent } from '@nexus/core';
import { JobSubmitter, TransitionBatcher } from '@nexus/jobs';
import { AuditLogWriter, TypeOrmOutbox } from '@nexus/storage-models';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { subscriptionDisableReason } from '../retry/disable-policy';
import type { MessageFate } from '../retry/message-fate';
import { restageDelivery } from '../service/delivery-staging';
import { SUBSCRIPTION_SETTINGS } from '../settings/subscription-settings';
import type { SubscriptionSettings } from '../settings/subscription-settings';
import { recordHotAttempts } from './attempt-batch';
import type { HotAttempt, HotAttemptAnswer } from './attempt-batch';
import { SUBSCRIPTION_DISABLED_EVENT } from '../subscriptions.events';

/** How one attempt went, as stored on the message. */
export interface AttemptRecord {
  deliveryId: string;
  zoneId: string;
  /** The subscription delivers in order (its next message waits on this one). */
  ordered: boolean;
  at: Date;
  responseStatus: number | null;
  latencyMs: number;
  error: string | null;
}

interface SubscriptionHealthRow {
  id: string;
  ordered: boolean;
  consecutive_failures: number;
  failing_since: Date | null;
}

/** Most attempts one recording statement carries. */
const MAX_HOT_BATCH = 128;

const FAILED_SQL = `
  WITH d AS (
    UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, response_status = $3, latency_ms = $4,
           last_error = $6, last_attempt_at = $5, next_attempt_at = NULL, updated_at = now()
     WHERE id = $1 AND zone_id = $2 AND status = 'pending' RETURNING subscription_id)
  UPDATE webhook_subscriptions s SET last_delivery_at = $5, last_status = 'failed',
         failing_since = COALESCE(s.failing_since, $5), consecutive_failures = s.consecutive_failures + 1,
         failed_messages = failed_messages + 1
    FROM d WHERE s.id = d.subscription_id
  RETURNING s.id, s.ordered, s.consecutive_failures, s.failing_since`;

function hotAttempt(attempt: AttemptRecord, fate: Exclude<MessageFate, { kind: 'failed' }>): HotAttempt {
  return {
    id: attempt.deliveryId,
    zoneId: attempt.zoneId,
    succeeded: fate.kind === 'succeeded',
    at: attempt.at,
    responseStatus: attempt.responseStatus,
    latencyMs: attempt.latencyMs,
    error: attempt.error,
    nextAttemptAt: fate.kind === 'retrying' ? fate.nextAttemptAt : null,
  };
}

/**
 * Records attempts on the message and its subscription's health, and does what
 * follows from them, each in one transaction: a subscription past its failure
 * limits (or answered 410) is disabled with an audit entry and a
 * `subscription.disabled` event; an ordered subscription's next waiting message
 * gets its job once the current one succeeded or was given up.
 */
@Injectable()
export class DeliveryRecorder {
  // Group commit for the hot path: attempts that end together are recorded by one statement.
  private readonly hotAttempts = new TransitionBatcher<HotAttempt, HotAttemptAnswer>(
    (attempts) => recordHotAttempts(this.dataSource.manager, attempts),
    MAX_HOT_BATCH,
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobSubmitter,
    private readonly audit: AuditLogWriter,
    private readonly outbox: TypeOrmOutbox,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
  ) {}

  /** False when the message was no longer pending (another run recorded it): nothing was changed. */
  async record(attempt: AttemptRecord, fate: MessageFate): Promise<boolean> {
    if (!attempt.ordered && fate.kind !== 'failed') {
      const health = await this.hotAttempts.submit(hotAttempt(attempt, fate));
      if (!health) return false;
      const disable =
        fate.kind === 'retrying'
          ? this.disableReason(
              {
                id: health.subscriptionId,
                ordered: false,
                consecutive_failures: health.consecutiveFailures,
                failing_since: health.failingSince,
              },
              attempt.at,
            )
          : null;
      if (disable) {
        await this.dataSource.transaction((manager) => this.disable(manager, attempt.zoneId, health.subscriptionId, disable));
      }
      return true;
    }
    const publish: Array<() => Promise<void>> = [];
    const recorded = await this.dataSource.transaction(async (manager) => {
      const health = await this.recordAttempt(manager, attempt, fate);
      if (!health) return false;
      const disable =
        (fate.kind === 'failed' ? fate.disable : undefined) ??
        (fate.kind === 'succeeded' ? null : this.disableReason(health, attempt.at));
      if (disable) await this.disable(manager, attempt.zoneId, health.id, disable);
      else if (health.ordered && fate.kind !== 'retrying') {
        const next = await this.promoteNext(manager, attempt.zoneId, health.id);
        if (next) publish.push(next);
      }
      return true;
    });
    for (const task of publish) await task();
    return recorded;
  }

  private disableReason(health: SubscriptionHealthRow, now: Date): string | null {
    return subscriptionDisableReason({
      consecutiveFailures: health.consecutive_failures,
      failingSince: health.failing_since,
      now,
      maxFailures: this.settings.maxFailures,
    });
  }

  /** Marks a message of a disabled or deleted subscription skipped (and, for an ordered one, the rest with it). */
  async skip(deliveryId: string, zoneId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'skipped', last_error = $3, next_attempt_at = NULL, updated_at = now()
        WHERE zone_id = $2 AND status IN ('pending', 'waiting')
          AND (id = $1 OR subscription_id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1))`,
      [deliveryId, zoneId, reason],
    );
  }

  private async recordAttempt(
    manager: EntityManager,
    attempt: AttemptRecord,
    fate: MessageFate,
  ): Promise<SubscriptionHealthRow | undefined> {
    if (fate.kind !== 'failed') {
      const health = (await recordHotAttempts(manager, [hotAttempt(attempt, fate)])).get(attempt.deliveryId);
      if (!health || health instanceof Error) return undefined;
      return {
        id: health.subscriptionId,
        ordered: attempt.ordered,
        consecutive_failures: health.consecutiveFailures,
        failing_since: health.failingSince,
      };
    }
    // UPDATE … RETURNING through TypeORM: [rows, affected].
    const [rows] = await manager.query<[SubscriptionHealthRow[], number]>(FAILED_SQL, [
      attempt.deliveryId,
      attempt.zoneId,
      attempt.responseStatus,
      Math.round(attempt.latencyMs),
      attempt.at,
      attempt.error?.slice(0, 500) ?? null,
    ]);
    return rows[0];
  }

  /** Disables the subscription (if it still is enabled), audited, with a `subscription.disabled` event; all in `manager`'s transaction. */
  private async disable(manager: EntityManager, zoneId: string, subscriptionId: string, reason: string): Promise<void> {
    const [rows] = await manager.query<[Array<{ id: string; url: string; consecutive_failures: number }>, number]>(
      `UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $3, updated_at = now()
        WHERE id = $1 AND zone_id = $2 AND enabled RETURNING id, url, consecutive_failures`,
      [subscriptionId, zoneId, reason.slice(0, 300)],
    );
    const disabled = rows[0];
    if (!disabled) return;
    const origin = new URL(disabled.url).origin;
    await this.audit.write(
      {
        action: 'subscription_disabled',
        outcome: 'success',
        zoneId,
        actor: { type: 'system', id: 'subscriptions.deliver' },
        resource: { type: 'webhook_subscription', id: subscriptionId },
        details: { origin, reason, consecutiveFailures: disabled.consecutive_failures },
      },
      manager,
    );
    // Last in the transaction (the outbox's position lock).
    await this.outbox.append(manager, [
      createDomainEvent({
        type: SUBSCRIPTION_DISABLED_EVENT,
        zoneId,
        aggregateType: 'webhook_subscription',
        aggregateId: subscriptionId,
        actor: { type: 'system', id: 'subscriptions.deliver' },
        revision: null,
        payload: { subscriptionId, origin, reason },
        causationId: null,
        correlationId: null,
      }),
    ]);
  }

  private async promoteNext(
    manager: EntityManager,
    zoneId: string,
    subscriptionId: string,
  ): Promise<(() => Promise<void>) | null> {
    const [next] = await manager.query<Array<{ id: string }>>(
      `SELECT id FROM webhook_deliveries WHERE subscription_id = $1 AND status = 'waiting'
        ORDER BY event_position, created_at LIMIT 1`,
      [subscriptionId],
    );
    if (!next) return null;
    const staged = await restageDelivery(
      manager,
      this.jobs,
      zoneId,
      next.id,
      ['waiting'],
      this.settings.retrySchedule.length,
    );
    return staged?.publish ?? null;
  }
}
