import { defineJobType } from '@nexus/core';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PruneDeliveriesPayload {
  /** Delete finished deliveries not updated for this many days; NEXUS_WEBHOOK_DELIVERY_RETENTION_DAYS when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  olderThanDays?: number;
}

export const PRUNE_DELIVERIES_JOB = defineJobType({
  type: 'subscriptions.prune_deliveries',
  payload: PruneDeliveriesPayload,
  summary:
    'Deletes finished webhook deliveries (succeeded, failed, skipped) past the retention period; waiting and pending ones stay',
});
