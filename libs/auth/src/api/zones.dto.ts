import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, Matches } from 'class-validator';
import type { Zone } from '../entities/zone.entity';

export const ZONE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class CreateZoneDto {
  @ApiProperty({
    example: 'research',
    description: 'Lowercase letters, digits and dashes; at most 63 characters',
  })
  @Matches(ZONE_NAME_PATTERN, {
    message: 'name must be 1–63 lowercase letters, digits or dashes, starting with a letter or digit',
  })
  name: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class ZoneResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) settings: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class ZonePage {
  @ApiProperty({ type: [ZoneResponse] }) items: ZoneResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toZoneResponse(zone: Zone): ZoneResponse {
  return {
    id: zone.id,
    name: zone.name,
    settings: zone.settings,
    createdAt: zone.createdAt.toISOString(),
    updatedAt: zone.updatedAt.toISOString(),
  };
}
