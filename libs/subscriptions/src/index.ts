// Webhook subscriptions (in progress): the subscriptions API and the building blocks of
// signed, SSRF-safe deliveries. Delivery jobs and the event consumer are not built yet.
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
