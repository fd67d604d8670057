import { AUTH_DOMAIN } from '@nexus/auth';
import { ANY_EVENT_TYPE, defineDomain, defineEventConsumer } from '@nexus/core';
import { EVENTS_DOMAIN } from '@nexus/events';
import { FILESYSTEM_DOMAIN } from '@nexus/filesystem';
import { JOBS_DOMAIN } from '@nexus/jobs';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { SUBSCRIPTION_JOB_TYPES } from './jobs/subscription-job-types';
import { SUBSCRIPTIONS_MIGRATIONS } from './migrations';
import { PRUNE_DELIVERIES_JOB } from './retention/delivery-retention-job-types';
import { SUBSCRIPTION_EVENT_TYPES } from './subscriptions.events';
import { SubscriptionsModule } from './subscriptions.module';
import { DeliveryConsumer } from './worker/delivery-consumer';

/**
 * Webhook subscriptions: a zone's subscribers, the events (file events among them)
 * they want and their sealed Standard Webhooks secrets; every matching event
 * becomes a signed message per subscription, delivered and retried as a job.
 */
export const SUBSCRIPTIONS_DOMAIN = defineDomain({
  name: 'subscriptions',
  entities: [WebhookSubscription, WebhookDelivery],
  migrations: SUBSCRIPTIONS_MIGRATIONS,
  jobTypes: [...SUBSCRIPTION_JOB_TYPES, PRUNE_DELIVERIES_JOB],
  eventTypes: SUBSCRIPTION_EVENT_TYPES,
  eventConsumers: [
    defineEventConsumer({
      name: 'subscriptions.deliver',
      eventTypes: [ANY_EVENT_TYPE],
      handler: DeliveryConsumer,
      summary: 'Turns every event into a signed webhook message per subscription that wants it',
    }),
  ],
  requires: [AUTH_DOMAIN, FILESYSTEM_DOMAIN, EVENTS_DOMAIN, JOBS_DOMAIN],
  apiModule: () => SubscriptionsModule.forApi(),
  workerModule: () => SubscriptionsModule.forWorker(),
});
