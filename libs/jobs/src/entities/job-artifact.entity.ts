import { Timestamped, UuidEntity } from '@nexus/storage-models';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Job } from './job.entity';

/** Something a job produced: inline data, or a reference to where the output lives. */
@Entity('job_artifacts')
@Index(['jobId', 'kind', 'name'], { unique: true })
export class JobArtifact extends Timestamped(UuidEntity) {
  @Column({ type: 'uuid' })
  jobId: string;

  @ManyToOne(() => Job, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id' })
  job?: Job;

  @Column({ type: 'varchar', length: 64 })
  kind: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  reference: string | null;
}
