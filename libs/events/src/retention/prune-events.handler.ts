import { Inject, Injectable, Logger } from '@nestjs/common';
import { DOMAINS, WorkerConfig } from '@nexus/core';
import type { ComposedDomains } from '@nexus/core';
import {
  JobClock,
  JobHandler,
  RETENTION_OFF,
  deleteInBatches,
  retentionCutoff,
  retentionOutcome,
} from '@nexus/jobs';
import type { BatchedDelete, JobContext, JobHandlerContract, JobOutcome } from '@nexus/jobs';
import { DataSource } from 'typeorm';
import { PRUNE_EVENTS_JOB } from './event-retention-job-types';
import type { PruneEventsPayload } from './event-retention-job-types';
import { prunableZones } from './prunable-zones';
import type { PrunableZone } from './prunable-zones';

/**
 * `events.prune_events`: deletes outbox events older than the retention
 * (NEXUS_EVENT_RETENTION_DAYS, or the payload's) that every registered event
 * consumer (the composed domains' `eventConsumers`) has passed in their zone:
 * zone_position at or below the smallest position of all of them there, a
 * consumer with no row in the zone counting as 0. An event a consumer has not
 * passed is never deleted, however old. With no consumer registered at all,
 * nobody waits for any event and they go by age alone.
 *
 * Zone by zone, in batches (deleteInBatches). outbox_zone_positions is not
 * touched: a zone's next event still gets the position after its last one.
 * Idempotent: a re-run deletes what is left.
 */
@Injectable()
@JobHandler(PRUNE_EVENTS_JOB)
export class PruneEventsHandler implements JobHandlerContract<PruneEventsPayload> {
  private readonly logger = new Logger('EventRetention');

  constructor(
    private readonly db: DataSource,
    private readonly config: WorkerConfig,
    @Inject(DOMAINS) private readonly domains: ComposedDomains,
    private readonly clock: JobClock,
  ) {}

  async handle(payload: PruneEventsPayload, context: JobContext): Promise<JobOutcome> {
    const retentionDays = payload.olderThanDays ?? this.config.NEXUS_EVENT_RETENTION_DAYS;
    if (retentionDays <= 0) return RETENTION_OFF;
    const startedAt = Date.now();
    const cutoff = retentionCutoff(this.clock.now(), retentionDays);
    const zones = await prunableZones(this.db, [...this.domains.eventConsumers.keys()]);
    const total = { deleted: 0, batches: 0, aborted: false };
    for (const zone of zones) {
      const run = await deleteInBatches(this.db, zoneDelete(zone, cutoff), context.signal);
      total.deleted += run.deleted;
      total.batches += run.batches;
      if (run.aborted) {
        total.aborted = true;
        break;
      }
    }
    return retentionOutcome(this.logger, 'events', { ...total, retentionDays, cutoff, startedAt });
  }
}

/** One zone's deletable events; (zone_key, occurred_at) is indexed for it. */
function zoneDelete(zone: PrunableZone, cutoff: Date): BatchedDelete {
  const where = 'zone_key = $1 AND occurred_at < $2';
  return zone.upTo === null
    ? { table: 'outbox_events', key: 'sequence', where, params: [zone.zoneKey, cutoff] }
    : {
        table: 'outbox_events',
        key: 'sequence',
        where: `${where} AND zone_position <= $3`,
        params: [zone.zoneKey, cutoff, zone.upTo],
      };
}
