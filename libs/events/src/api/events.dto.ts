import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '@nexus/core';
import { EventResponse } from './event-response';

/** The filters the replay and the stream share. */
export class EventFilterQueryDto {
  @ApiPropertyOptional({
    description: 'Only events after this cursor (an event’s `cursor`, or a page’s `nextCursor`)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  after?: string;

  @ApiPropertyOptional({ description: 'Comma-separated event types, e.g. `file_write,file_delete`' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  types?: string;

  @ApiPropertyOptional({
    description: 'Only events whose path (or a move’s source) is this path or below it, by whole segments',
    example: '/docs',
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  path?: string;
}

export class ReplayEventsQueryDto extends EventFilterQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;
}

export class EventPageResponse {
  @ApiProperty({ type: [EventResponse], description: 'In position order; only events the caller may see' })
  items: EventResponse[];

  @ApiProperty({
    description:
      'Pass as `after` for the next page (or to the stream): the last position examined, never null — ' +
      'poll it again later for newer events',
  })
  nextCursor: string;

  @ApiProperty({ description: 'More events exist past nextCursor now (a page may hold fewer than `limit`)' })
  hasMore: boolean;
}
