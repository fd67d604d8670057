import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { BIGINT_AS_NUMBER } from './bigint-number.transformer';

/**
 * A stored blob and how many file versions reference it. The sha256 is the
 * natural key (content addressing), so it is the primary key rather than a uuid.
 * `unreferencedSince` is set when refCount drops to 0; GC deletes such blobs
 * after a grace period (a blob written but never committed has no row at all and
 * is found by the store scan instead).
 */
@Entity('content_blobs')
@Index(['unreferencedSince'], { where: '"ref_count" = 0' })
export class ContentBlob {
  @PrimaryColumn({ type: 'char', length: 64 })
  hash: string;

  @Column({ type: 'bigint', transformer: BIGINT_AS_NUMBER })
  size: number;

  @Column({ type: 'int', default: 0 })
  refCount: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  storedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  unreferencedSince: Date | null;
}
