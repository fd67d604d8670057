import { WebhookSubscriptions1796354500493 } from './1796354500493-WebhookSubscriptions';

export const SUBSCRIPTIONS_MIGRATIONS = [WebhookSubscriptions1796354500493];
