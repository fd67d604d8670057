import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WorkerState } from '../entities/worker-heartbeat.entity';

export interface HeartbeatSnapshot {
  workerId: string;
  state: WorkerState;
  concurrency: number;
  activeJobs: number;
  jobsProcessed: number;
  startedAt: Date;
}

/** Upserts this worker's row in worker_heartbeats. Failures are logged once per outage, never thrown. */
@Injectable()
export class WorkerHeartbeatService {
  private readonly logger = new Logger('WorkerHeartbeat');
  private failing = false;

  constructor(private readonly dataSource: DataSource) {}

  async beat(snapshot: HeartbeatSnapshot): Promise<void> {
    try {
      await this.dataSource.query(
        `INSERT INTO worker_heartbeats (worker_id, hostname, pid, state, concurrency, active_jobs, jobs_processed, started_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (worker_id) DO UPDATE SET state = EXCLUDED.state, active_jobs = EXCLUDED.active_jobs,
           jobs_processed = EXCLUDED.jobs_processed, last_seen_at = now()`,
        [
          snapshot.workerId,
          hostname(),
          process.pid,
          snapshot.state,
          snapshot.concurrency,
          snapshot.activeJobs,
          snapshot.jobsProcessed,
          snapshot.startedAt,
        ],
      );
      if (this.failing) this.logger.log('Heartbeat written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`Heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    }
  }
}
