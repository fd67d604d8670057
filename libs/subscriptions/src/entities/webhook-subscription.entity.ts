import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity } from 'typeorm';

/**
 * One webhook subscription: where a zone's matching events are delivered. Its
 * signing secret is stored only sealed (AES-256-GCM, bound to the row and field);
 * after a rotation the previous one stays sealed until its expiry.
 */
@Entity('webhook_subscriptions')
export class WebhookSubscription extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'text' })
  url: string;

  /** Event types delivered, or `*` for every type. */
  @Column({ type: 'text', array: true })
  eventTypes: string[];

  /** Path globs (picomatch); empty: every path. */
  @Column({ type: 'text', array: true })
  patterns: string[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Deliveries one at a time in event order (otherwise concurrently). */
  @Column({ type: 'boolean', default: false })
  ordered: boolean;

  @Column({ type: 'bytea' })
  secretSealed: Buffer;

  @Column({ type: 'bytea', nullable: true })
  previousSecretSealed: Buffer | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  /** The subject that created it, `type:id`. */
  @Column({ type: 'text' })
  createdBy: string;
}
