import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, isUuid } from '@nexus/core';
import type { Page, Principal } from '@nexus/core';
import { JobSubmitter } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import type { DeliveryStatus } from '../entities/webhook-delivery.entity';
import { WebhookSubscription } from '../entities/webhook-subscription.entity';
import { SUBSCRIPTION_SETTINGS } from '../settings/subscription-settings';
import type { SubscriptionSettings } from '../settings/subscription-settings';
import {
  deliveryNotFound,
  deliveryNotRetryable,
  subscriptionDisabled,
  subscriptionNotFound,
} from '../subscriptions.errors';
import { orderedSubscriptionBusy, restageDelivery, stageDeliveries } from './delivery-staging';

/** The type of a test message. */
export const PING_EVENT_TYPE = 'ping';

const RETRYABLE: readonly DeliveryStatus[] = ['failed', 'skipped'];

interface DeliveryCursor extends Record<string, unknown> {
  at: string;
  id: string;
}

// A forged cursor must be a 400, not a PostgreSQL cast error (500).
const isDeliveryCursor = (value: unknown): value is DeliveryCursor => {
  const cursor = value as Partial<DeliveryCursor> | null;
  return (
    typeof cursor?.id === 'string' &&
    isUuid(cursor.id) &&
    typeof cursor.at === 'string' &&
    !Number.isNaN(Date.parse(cursor.at))
  );
};

/**
 * A subscription's messages: the list (newest first), a manual retry of one that
 * failed, and a test ping. Retry and ping go out as delivery jobs like any message.
 */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobSubmitter,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
  ) {}

  async list(
    principal: Principal,
    subscriptionId: string,
    options: { limit: number; cursor?: string; status?: DeliveryStatus },
  ): Promise<Page<WebhookDelivery>> {
    await this.subscription(this.dataSource.manager, principal, subscriptionId);
    const query = this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('delivery')
      .where('delivery.zoneId = :zoneId AND delivery.subscriptionId = :subscriptionId', {
        zoneId: principal.zoneId,
        subscriptionId,
      })
      .orderBy('delivery.createdAt', 'DESC')
      .addOrderBy('delivery.id', 'DESC')
      .take(options.limit + 1);
    if (options.status) query.andWhere('delivery.status = :status', { status: options.status });
    if (options.cursor) {
      const after = decodeCursor(options.cursor, isDeliveryCursor);
      query.andWhere('(delivery.createdAt, delivery.id) < (:at, :id)', { at: after.at, id: after.id });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, options.limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > options.limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  /** Sends a failed or skipped message again (same `webhook-id`, the schedule from its start). */
  async retry(principal: Principal, subscriptionId: string, deliveryId: string): Promise<WebhookDelivery> {
    let publish: (() => Promise<void>) | undefined;
    const delivery = await this.dataSource.transaction(async (manager) => {
      const subscription = await this.subscription(manager, principal, subscriptionId);
      if (!subscription.enabled) throw subscriptionDisabled(subscriptionId);
      const current = await manager.findOne(WebhookDelivery, {
        where: { id: deliveryId, subscriptionId, zoneId: principal.zoneId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw deliveryNotFound(deliveryId);
      const staged = await restageDelivery(
        manager,
        this.jobs,
        principal.zoneId,
        deliveryId,
        RETRYABLE,
        this.settings.retrySchedule.length,
        subscription.ordered && (await orderedSubscriptionBusy(manager, subscriptionId)),
      );
      if (!staged) throw deliveryNotRetryable(deliveryId, current.status);
      publish = staged.publish;
      return manager.findOneByOrFail(WebhookDelivery, { id: deliveryId });
    });
    await publish?.();
    return delivery;
  }

  /** A `ping` message to the subscription's URL, signed and delivered like any other. */
  async ping(principal: Principal, subscriptionId: string): Promise<WebhookDelivery> {
    const occurredAt = new Date().toISOString();
    let publish: (() => Promise<void>) | undefined;
    const delivery = await this.dataSource.transaction(async (manager) => {
      const subscription = await this.subscription(manager, principal, subscriptionId);
      if (!subscription.enabled) throw subscriptionDisabled(subscriptionId);
      const body = JSON.stringify({
        id: randomUUID(),
        type: PING_EVENT_TYPE,
        occurredAt,
        actor: { type: principal.subjectType, id: principal.subjectId },
        data: { subscriptionId, message: 'Test message from Nexus' },
      });
      const behindOthers = subscription.ordered && (await orderedSubscriptionBusy(manager, subscriptionId));
      const status = behindOthers ? 'waiting' : 'pending';
      const staged = await stageDeliveries(
        manager,
        this.jobs,
        principal.zoneId,
        [{ subscriptionId, eventId: null, eventType: PING_EVENT_TYPE, eventPosition: null, body, status }],
        this.settings.retrySchedule.length,
      );
      publish = staged.publish;
      return manager.findOneByOrFail(WebhookDelivery, { id: staged.created[0]?.id ?? '' });
    });
    await publish?.();
    return delivery;
  }

  private async subscription(
    manager: EntityManager,
    principal: Principal,
    id: string,
  ): Promise<WebhookSubscription> {
    const subscription = await manager.findOne(WebhookSubscription, { where: { id, zoneId: principal.zoneId } });
    if (!subscription) throw subscriptionNotFound(id);
    return subscription;
  }
}
