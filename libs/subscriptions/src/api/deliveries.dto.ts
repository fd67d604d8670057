import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import { IsIn, IsOptional } from 'class-validator';
import { DELIVERY_STATUSES } from '../entities/webhook-delivery.entity';
import type { DeliveryStatus, WebhookDelivery } from '../entities/webhook-delivery.entity';

export class DeliveryQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only messages in this status' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'msg_01JEXAMPLE0000000000000000', description: 'The `webhook-id`, the same on every attempt' })
  messageId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The event delivered (null: a test ping)' })
  eventId: string | null;
  @ApiProperty({ example: 'file_write' }) eventType: string;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description:
      'waiting: behind an earlier message (ordered); pending: queued or waiting to retry; succeeded; ' +
      'failed: given up; skipped: the subscription was disabled or deleted first',
  })
  status: DeliveryStatus;
  @ApiProperty({ type: 'integer', description: 'Attempts made so far' }) attempts: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'HTTP status of the latest attempt' })
  responseStatus: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Duration of the latest attempt, ms' })
  latencyMs: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the latest attempt failed' })
  lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due' })
  nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toDeliveryResponse(delivery: WebhookDelivery): DeliveryResponse {
  return {
    id: delivery.id,
    messageId: delivery.messageId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    responseStatus: delivery.responseStatus,
    latencyMs: delivery.latencyMs,
    lastError: delivery.lastError,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}
