import { ApiProperty } from '@nestjs/swagger';
import type { DomainEvent } from '@nexus/core';
import { eventCursor } from './event-cursor';

export class EventActorResponse {
  @ApiProperty({ example: 'user' }) type: string;
  @ApiProperty({ example: 'alice' }) id: string;
}

export class EventAggregateResponse {
  @ApiProperty({ example: 'file' }) type: string;
  @ApiProperty() id: string;
}

/** One event as the replay lists it and the stream sends it (`data:`). */
export class EventResponse {
  @ApiProperty({ format: 'uuid', description: 'The event id (de-duplicate on it)' }) id: string;
  @ApiProperty({ description: 'Where the event stands in its zone: pass as `after` or Last-Event-ID' })
  cursor: string;
  @ApiProperty({ example: 'file_write' }) type: string;
  @ApiProperty({ type: String, nullable: true, description: 'The payload’s `path`, where it has one' })
  path: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A move’s source (the payload’s `from`)' })
  fromPath: string | null;
  @ApiProperty({ type: EventActorResponse, nullable: true }) actor: EventActorResponse | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The payload’s `version`' })
  version: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The payload’s `etag`' }) etag: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The domain’s revision after the change' })
  revision: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) causationId: string | null;
  @ApiProperty({ type: 'integer', description: '0 for a direct request' }) causationDepth: number;
  @ApiProperty({ type: EventAggregateResponse }) aggregate: EventAggregateResponse;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event’s payload' })
  data: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** An event with its zone position (a stored event's bigint, or a relay-delivered event's decimal string). */
export type PositionedEvent = DomainEvent & { position: bigint | string };

/** The event JSON of the replay, the stream and webhook bodies: one shape everywhere. */
export function toEventResponse(event: PositionedEvent): EventResponse {
  const { payload } = event;
  return {
    id: event.id,
    cursor: eventCursor(BigInt(event.position)),
    type: event.type,
    path: text(payload['path']),
    fromPath: text(payload['from']),
    actor: event.actor,
    version: typeof payload['version'] === 'number' ? payload['version'] : null,
    etag: text(payload['etag']),
    revision: event.revision,
    occurredAt: event.occurredAt,
    causationId: event.causationId,
    causationDepth: event.causationDepth,
    aggregate: { type: event.aggregateType, id: event.aggregateId },
    data: payload,
  };
}
