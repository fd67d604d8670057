import { Inject, Injectable } from '@nestjs/common';
import type { DeliveredEvent, EventBatch, EventConsumer } from '@nexus/core';
import { toEventResponse } from '@nexus/events';
import { JobSubmitter } from '@nexus/jobs';
import type { EntityManager } from 'typeorm';
import { subscriptionWants } from '../delivery/event-match';
import { orderedSubscriptionBusy, stageDeliveries } from '../service/delivery-staging';
import type { NewDelivery } from '../service/delivery-staging';
import { SUBSCRIPTION_SETTINGS } from '../settings/subscription-settings';
import type { SubscriptionSettings } from '../settings/subscription-settings';

interface ActiveSubscription {
  id: string;
  eventTypes: string[];
  patterns: string[];
  ordered: boolean;
}

/** The webhook body of an event: the event JSON of the replay and the stream. */
export const webhookBody = (event: DeliveredEvent): string => JSON.stringify(toEventResponse(event));

/**
 * `subscriptions.deliver`: turns each event into one message per enabled
 * subscription of its zone that wants it, with its delivery job, in the relay's
 * transaction — a message exists exactly when the consumer has moved past its
 * event, so a crash loses none and makes none twice. The jobs are published
 * after the batch commits.
 *
 * An ordered subscription's new messages wait behind any open one (its row is
 * locked, in id order, see orderedSubscriptionBusy); only the first of an idle
 * one's gets a job now.
 */
@Injectable()
export class DeliveryConsumer implements EventConsumer<EntityManager> {
  constructor(
    private readonly jobs: JobSubmitter,
    @Inject(SUBSCRIPTION_SETTINGS) private readonly settings: SubscriptionSettings,
  ) {}

  async handle(batch: EventBatch<EntityManager>): Promise<void> {
    if (!batch.zoneId) return;
    const manager = batch.transaction;
    const subscriptions = await manager.query<ActiveSubscription[]>(
      `SELECT id, event_types AS "eventTypes", patterns, ordered FROM webhook_subscriptions
        WHERE zone_id = $1 AND enabled ORDER BY id`,
      [batch.zoneId],
    );
    if (subscriptions.length === 0) return;
    const wanted = new Map<string, DeliveredEvent[]>();
    for (const event of batch.events) {
      for (const subscription of subscriptions) {
        if (!subscriptionWants(subscription, event)) continue;
        const list = wanted.get(subscription.id) ?? [];
        list.push(event);
        wanted.set(subscription.id, list);
      }
    }
    if (wanted.size === 0) return;
    const bodies = new Map<string, string>();
    const bodyOf = (event: DeliveredEvent): string => {
      let body = bodies.get(event.id);
      if (body === undefined) bodies.set(event.id, (body = webhookBody(event)));
      return body;
    };
    const deliveries: NewDelivery[] = [];
    for (const subscription of subscriptions) {
      const events = wanted.get(subscription.id);
      if (!events) continue;
      const busy = subscription.ordered && (await orderedSubscriptionBusy(manager, subscription.id));
      events.forEach((event, index) =>
        deliveries.push({
          subscriptionId: subscription.id,
          eventId: event.id,
          eventType: event.type,
          eventPosition: event.position,
          body: bodyOf(event),
          status: subscription.ordered && (busy || index > 0) ? 'waiting' : 'pending',
        }),
      );
    }
    const staged = await stageDeliveries(
      manager,
      this.jobs,
      batch.zoneId,
      deliveries,
      this.settings.retrySchedule.length,
    );
    batch.afterCommit(staged.publish);
  }
}
