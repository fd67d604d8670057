import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { ReadinessReport } from '@nexus/core';

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class ReadinessCheckResponse {
  @ApiProperty({ enum: ['ok', 'down'] }) status: 'ok' | 'down';
  @ApiPropertyOptional({ description: 'Why the dependency is down' }) error?: string;
}

@ApiExtraModels(ReadinessCheckResponse)
export class ReadinessResponse {
  @ApiProperty({ enum: ['ready', 'unavailable'] }) status: 'ready' | 'unavailable';

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ReadinessCheckResponse) },
    description: 'One entry per dependency (postgres, redis, kv…)',
    example: { postgres: { status: 'ok' }, redis: { status: 'ok' } },
  })
  checks: Record<string, ReadinessCheckResponse>;
}

export function toReadinessResponse(report: ReadinessReport): ReadinessResponse {
  return { status: report.ready ? 'ready' : 'unavailable', checks: report.checks };
}
