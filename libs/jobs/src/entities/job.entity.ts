import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';
import type { JobProgress } from '../registry/job-progress';
import type { JobStatus } from '../job-types';

/**
 * One background job. Postgres is the source of truth: every status change is a
 * compare-and-set UPDATE (see JobStateMachine); BullMQ only delivers the row id.
 */
@Entity('jobs')
@Index(['status', 'nextRunAt'])
@Index(['zoneId', 'createdAt'])
@Index(['zoneId', 'idempotencyKey'], { unique: true, where: '"idempotency_key" IS NOT NULL' })
export class Job extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 128 })
  type: string;

  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status: JobStatus;

  @Column({ type: 'int', default: 0 })
  attemptCount: number;

  @Column({ type: 'int', default: 3 })
  maxAttempts: number;

  @Column({ type: 'timestamptz' })
  nextRunAt: Date;

  @Column({ type: 'varchar', length: 255, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  /** What the running handler last reported (JobContext.progress); kept after it ends. */
  @Column({ type: 'jsonb', nullable: true })
  progress: JobProgress | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  /** `subjectType:subjectId` of whoever submitted it. */
  @Column({ type: 'varchar', length: 300 })
  createdBy: string;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Outbox marker: null until the current delivery has been handed to BullMQ. */
  @Column({ type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;
}
