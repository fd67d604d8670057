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

  /** When the latest attempt (of any message) ended. */
  @Column({ type: 'timestamptz', nullable: true })
  lastDeliveryAt: Date | null;

  /** `succeeded` or `failed`: how the latest attempt ended. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  lastStatus: string | null;

  /** Messages in a row given up on; any successful attempt resets it. */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures: number;

  /** The first failed attempt since the last success; null while healthy. */
  @Column({ type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ type: 'bigint', default: 0 })
  succeededMessages: string;

  @Column({ type: 'bigint', default: 0 })
  failedMessages: string;

  /** Why the system disabled it (410, too many failures); null when enabled or disabled by a person. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  disabledReason: string | null;
}
