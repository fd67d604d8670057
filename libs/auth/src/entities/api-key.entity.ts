import type { Role, SubjectType } from '@nexus/core';
import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/**
 * An API key. Only the SHA-256 of the secret is stored, plus a short display
 * prefix; the secret itself is shown once at creation.
 */
@Entity('api_keys')
export class ApiKey extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  keyHash: string;

  /** The first characters of the key, enough to recognise it in lists and logs. */
  @Column({ type: 'varchar', length: 96 })
  keyPrefix: string;

  @Column({ type: 'varchar', length: 16 })
  subjectType: SubjectType;

  @Column({ type: 'varchar', length: 255 })
  subjectId: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  /** Manages every zone and may act in another through X-Nexus-Zone-ID. Only the bootstrap key has it. */
  @Column({ type: 'boolean', default: false })
  superuser: boolean;

  @Column({ type: 'boolean', default: false })
  bootstrap: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** Overrides the role's default requests per minute. */
  @Column({ type: 'integer', nullable: true })
  rateLimitPerMinute: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  createdBy: string | null;
}
