import { ApiProperty } from '@nestjs/swagger';

export class EventConsumerResponse {
  @ApiProperty({ example: 'search.index' }) name: string;
  @ApiProperty({ description: 'The domain that registered it' }) domain: string;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiProperty() summary: string;
  @ApiProperty({ description: 'The last zone position it processed in the caller’s zone (`0`: none)' })
  position: string;
  @ApiProperty({ type: 'integer', description: 'Events of the zone it has not processed yet' }) lag: number;
  @ApiProperty({ description: 'Age in seconds of the oldest event it has not processed (0 when caught up)' })
  lagSeconds: number;
  @ApiProperty({ type: 'integer', description: 'Failed attempts at its current batch' }) failures: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a failed batch is retried',
  })
  retryAt: string | null;
}

export class EventConsumerList {
  @ApiProperty({ type: [EventConsumerResponse] }) items: EventConsumerResponse[];
}
