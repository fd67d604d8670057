// Webhook subscriptions: the subscriptions API, signed SSRF-safe deliveries as jobs, and
// the event consumer that turns events into messages.
export * from './subscriptions.domain';
export * from './subscriptions.errors';
export * from './entities/webhook-subscription.entity';
export * from './settings/subscription-settings';
export * from './signing/message-id';
export * from './signing/secret-rotation';
export * from './signing/webhook-secret';
export * from './signing/webhook-signature';
export * from './retry/delivery-outcome';
export * from './retry/disable-policy';
export * from './retry/retry-after';
export * from './retry/retry-schedule';
export * from './delivery/address-policy';
export * from './delivery/allow-list';
export * from './delivery/destination';
export * from './delivery/errors';
export * from './delivery/safe-request';
export * from './delivery/webhook-url';
export * from './subscriptions.events';
export * from './entities/webhook-delivery.entity';
export * from './jobs/subscription-job-types';
export * from './delivery/event-match';
export * from './retry/message-fate';
export * from './retention/delivery-retention-job-types';
export * from './retention/delivery-retention.schedule';
export * from './retention/prune-deliveries.handler';
