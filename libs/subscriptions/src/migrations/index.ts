import { WebhookSubscriptions1796354500493 } from './1796354500493-WebhookSubscriptions';
import { WebhookDeliveries1796410647605 } from './1796410647605-WebhookDeliveries';
import { WebhookDeliveryRetention1796412734212 } from './1796412734212-WebhookDeliveryRetention';

export const SUBSCRIPTIONS_MIGRATIONS = [
  WebhookSubscriptions1796354500493,
  WebhookDeliveries1796410647605,
  WebhookDeliveryRetention1796412734212,
];
