import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { WebhookSubscription } from '../entities/webhook-subscription.entity';
import type { RotatedSecret } from '../service/subscriptions.service';

export class CreateSubscriptionDto {
  @ApiProperty({
    example: 'https://hooks.example.com/nexus',
    description:
      'https:// (http:// only with NEXUS_WEBHOOK_ALLOW_HTTP=true); no user name or password; ' +
      'no loopback, private, link-local, metadata or other forbidden address unless NEXUS_WEBHOOK_ALLOW_HOSTS allows it',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url: string;

  @ApiProperty({
    type: [String],
    example: ['file_write', 'file_delete'],
    description: 'Event types some mounted domain writes, or `*` for all',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  eventTypes: string[];

  @ApiProperty({
    type: [String],
    example: ['/docs/**', '/**/*.md'],
    description: 'Path globs (picomatch); an event matches when its path matches one. Empty: every path.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(1024, { each: true })
  patterns: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Deliver one at a time, in event order' })
  @IsOptional()
  @IsBoolean()
  ordered?: boolean;
}

/** Any field of the create body, validated the same way. */
export class UpdateSubscriptionDto extends PartialType(CreateSubscriptionDto) {}

export class SubscriptionStatsResponse {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the latest attempt ended' })
  lastDeliveryAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['succeeded', 'failed'], description: 'How the latest attempt ended' })
  lastStatus: string | null;
  @ApiProperty({ type: 'integer', description: 'Messages in a row given up on (reset by a success)' })
  consecutiveFailures: number;
  @ApiProperty({ type: 'integer', description: 'Messages delivered' }) succeededMessages: number;
  @ApiProperty({ type: 'integer', description: 'Messages given up on' }) failedMessages: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'succeeded / (succeeded + failed) messages, 0–1; null before any message ended',
  })
  successRate: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the system disabled it (HTTP 410, too many failures); cleared by enabling it again',
  })
  disabledReason: string | null;
}

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty({ type: [String] }) patterns: string[];
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty() ordered: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until then deliveries are signed with the previous secret too (after a rotation)',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ description: 'The subject that created it, `type:id`' }) createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: SubscriptionStatsResponse }) stats: SubscriptionStatsResponse;
}

export class CreatedSubscriptionResponse extends SubscriptionResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks form): shown in this response only',
  })
  secret: string;
}

export class SubscriptionPage {
  @ApiProperty({ type: [SubscriptionResponse] }) items: SubscriptionResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class RotatedSecretResponse {
  @ApiProperty({ description: 'The new signing secret: shown in this response only' }) secret: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Deliveries carry signatures under the new and the previous secret until then',
  })
  previousSecretExpiresAt: string;
}

export function toSubscriptionResponse(subscription: WebhookSubscription): SubscriptionResponse {
  return {
    id: subscription.id,
    url: subscription.url,
    eventTypes: subscription.eventTypes,
    patterns: subscription.patterns,
    name: subscription.name,
    description: subscription.description,
    enabled: subscription.enabled,
    ordered: subscription.ordered,
    previousSecretExpiresAt: subscription.previousSecretExpiresAt?.toISOString() ?? null,
    createdBy: subscription.createdBy,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
    stats: toStatsResponse(subscription),
  };
}

function toStatsResponse(subscription: WebhookSubscription): SubscriptionStatsResponse {
  const succeeded = Number(subscription.succeededMessages);
  const failed = Number(subscription.failedMessages);
  return {
    lastDeliveryAt: subscription.lastDeliveryAt?.toISOString() ?? null,
    lastStatus: subscription.lastStatus,
    consecutiveFailures: subscription.consecutiveFailures,
    succeededMessages: succeeded,
    failedMessages: failed,
    successRate: succeeded + failed === 0 ? null : Math.round((succeeded / (succeeded + failed)) * 10_000) / 10_000,
    disabledReason: subscription.disabledReason,
  };
}

export function toRotatedSecretResponse(rotated: RotatedSecret): RotatedSecretResponse {
  return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() };
}
