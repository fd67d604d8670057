import type { SubjectType } from '@nexus/core';
import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

/** A third-party OAuth credential; its tokens are stored only encrypted (AES-256-GCM). */
@Entity('oauth_credentials')
@Index(['zoneId', 'ownerSubjectType', 'ownerSubjectId', 'provider', 'accountId'], { unique: true })
export class OAuthCredential extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 16 })
  ownerSubjectType: SubjectType;

  @Column({ type: 'varchar', length: 255 })
  ownerSubjectId: string;

  @Column({ type: 'varchar', length: 64 })
  provider: string;

  @Column({ type: 'varchar', length: 255 })
  accountId: string;

  @Column({ type: 'jsonb', default: [] })
  scopes: string[];

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'bytea' })
  accessTokenCiphertext: Buffer;

  @Column({ type: 'bytea', nullable: true })
  refreshTokenCiphertext: Buffer | null;
}
