import { WebhookSubscriptions1796354500493 } from './1796354500493-WebhookSubscriptions';
import { WebhookDeliveries1796410647605 } from './1796410647605-WebhookDeliveries';

export const SUBSCRIPTIONS_MIGRATIONS = [WebhookSubscriptions1796354500493, WebhookDeliveries1796410647605];
