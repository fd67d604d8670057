import { defineJobType } from '@nexus/core';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PruneEventsPayload {
  /** Delete passed events older than this many days; NEXUS_EVENT_RETENTION_DAYS when absent. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_650)
  olderThanDays?: number;
}

export const PRUNE_EVENTS_JOB = defineJobType({
  type: 'events.prune_events',
  payload: PruneEventsPayload,
  summary: 'Deletes outbox events past the retention period that every registered consumer has passed',
});
