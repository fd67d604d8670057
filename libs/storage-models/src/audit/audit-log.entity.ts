import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { UuidEntity } from '../entities/base.entities';

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * One security- or operations-relevant event. Rows are append-only, so there is
 * no updatedAt; zoneId is nullable because some events (boot, a credential that
 * matches no zone) belong to no zone.
 */
@Entity('audit_log')
@Index(['zoneId', 'occurredAt'])
@Index(['action', 'occurredAt'])
// Retention (system.prune_audit_log) reads old rows across zones and actions.
@Index(['occurredAt'])
export class AuditLogEntry extends UuidEntity {
  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  zoneId: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  actorType: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  actorId: string | null;

  /** Dotted verb, e.g. `auth.key.revoked`, `job.lease.recovered`. */
  @Column({ type: 'varchar', length: 128 })
  action: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  resourceType: string | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  resourceId: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: AuditOutcome;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;
}
