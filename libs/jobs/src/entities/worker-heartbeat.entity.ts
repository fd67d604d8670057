import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const WORKER_STATES = ['running', 'draining', 'stopped'] as const;
export type WorkerState = (typeof WORKER_STATES)[number];

/** One row per worker process, refreshed every NEXUS_WORKER_HEARTBEAT_MS. */
@Entity('worker_heartbeats')
export class WorkerHeartbeat {
  /** `hostname-pid-rand8`. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  workerId: string;

  @Column({ type: 'varchar', length: 255 })
  hostname: string;

  @Column({ type: 'int' })
  pid: number;

  @Column({ type: 'varchar', length: 16 })
  state: WorkerState;

  @Column({ type: 'int' })
  concurrency: number;

  @Column({ type: 'int', default: 0 })
  activeJobs: number;

  @Column({ type: 'int', default: 0 })
  jobsProcessed: number;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Index()
  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;
}
