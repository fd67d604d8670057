import { defineJobType } from '@nexus/core';
import { IsUUID } from 'class-validator';

/** `subscriptions.deliver`: one message to one subscription (a webhook_deliveries row). */
export class DeliverWebhookPayload {
  @IsUUID()
  deliveryId: string;
}

export const DELIVER_WEBHOOK_JOB = defineJobType({
  type: 'subscriptions.deliver',
  payload: DeliverWebhookPayload,
  summary:
    'Delivers one signed webhook message (retried on NEXUS_WEBHOOK_RETRY_SCHEDULE; submitted by the subscriptions.deliver consumer)',
});

export const SUBSCRIPTION_JOB_TYPES = [DELIVER_WEBHOOK_JOB];
