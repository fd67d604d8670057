import { AUTH_DOMAIN } from '@nexus/auth';
import { defineDomain } from '@nexus/core';
import { EVENTS_DOMAIN } from '@nexus/events';
import { FILESYSTEM_DOMAIN } from '@nexus/filesystem';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { SUBSCRIPTIONS_MIGRATIONS } from './migrations';
import { SubscriptionsModule } from './subscriptions.module';

/**
 * Webhook subscriptions: a zone's subscribers, the events (file events among them)
 * they want and their sealed Standard Webhooks secrets. Deliveries (jobs and the
 * event consumer) are not built yet, so there is no worker module.
 */
export const SUBSCRIPTIONS_DOMAIN = defineDomain({
  name: 'subscriptions',
  entities: [WebhookSubscription],
  migrations: SUBSCRIPTIONS_MIGRATIONS,
  requires: [AUTH_DOMAIN, FILESYSTEM_DOMAIN, EVENTS_DOMAIN],
  apiModule: () => SubscriptionsModule.forApi(),
});
