import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';

export const DELIVERY_STATUSES = ['waiting', 'pending', 'succeeded', 'failed', 'skipped'] as const;
/**
 * waiting: an ordered subscription's message behind an earlier one; pending: its job is
 * queued or waiting to retry; succeeded; failed: given up (schedule exhausted, abort
 * header, 410); skipped: its subscription was disabled or deleted before it went out.
 */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One message to one subscription: the event it carries (the body, fixed at creation
 * so every retry signs the same bytes under the same `webhook-id`), and how its
 * latest attempt went. One per (subscription, event): a redelivered event makes none.
 */
@Entity('webhook_deliveries')
@Index(['subscriptionId', 'eventId'], { unique: true, where: '"event_id" IS NOT NULL' })
@Index(['subscriptionId', 'createdAt'])
// An ordered subscription's open messages: is one under way, which waiting one is next.
@Index(['subscriptionId', 'eventPosition'], { where: `"status" IN ('pending', 'waiting')` })
// Retention (subscriptions.prune_deliveries) reads old finished rows across zones.
@Index(['updatedAt'], { where: `"status" IN ('succeeded', 'failed', 'skipped')` })
export class WebhookDelivery extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'uuid' })
  subscriptionId: string;

  /** `webhook-id`: `msg_` + ULID, the same on every attempt. */
  @Column({ type: 'varchar', length: 40, unique: true })
  messageId: string;

  /** The event delivered; null for a test ping. */
  @Column({ type: 'uuid', nullable: true })
  eventId: string | null;

  @Column({ type: 'varchar', length: 128 })
  eventType: string;

  /** The event's position in its zone (ordered delivery follows it); null for a ping. */
  @Column({ type: 'bigint', nullable: true })
  eventPosition: string | null;

  /** The exact JSON body sent (and signed) on every attempt. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'int', nullable: true })
  latencyMs: number | null;

  /** Why the latest attempt failed (a status line or network error; never a response body). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** The job that delivers it now (a manual retry starts a new one). */
  @Column({ type: 'uuid', nullable: true })
  jobId: string | null;
}
