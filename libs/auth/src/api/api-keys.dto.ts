import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, SUBJECT_TYPES } from '@nexus/core';
import type { Role, SubjectType } from '@nexus/core';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { ApiKey } from '../entities/api-key.entity';
import type { CreatedApiKey } from '../keys/api-keys.service';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'indexer agent' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: SUBJECT_TYPES })
  @IsIn(SUBJECT_TYPES)
  subjectType: SubjectType;

  @ApiProperty({ description: 'A user id for user subjects; an agent or service name otherwise' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,254}$/, {
    message: 'subjectId must be 1–255 characters of letters, digits and ._:@-',
  })
  subjectId: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    description: 'Requests per minute; default from the role',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rateLimitPerMinute?: number;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Enough of the key to recognise it; never the secret' }) keyPrefix: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ enum: SUBJECT_TYPES }) subjectType: SubjectType;
  @ApiProperty() subjectId: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() superuser: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Requests per minute; null: the role default',
  })
  rateLimitPerMinute: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The key itself. Shown only in this response; store it now.' })
  key: string;
}

export class ApiKeyPage {
  @ApiProperty({ type: [ApiKeyResponse] }) items: ApiKeyResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toApiKeyResponse(key: ApiKey): ApiKeyResponse {
  return {
    id: key.id,
    name: key.name,
    keyPrefix: key.keyPrefix,
    zoneId: key.zoneId,
    subjectType: key.subjectType,
    subjectId: key.subjectId,
    role: key.role,
    superuser: key.superuser,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    rateLimitPerMinute: key.rateLimitPerMinute,
    createdAt: key.createdAt.toISOString(),
  };
}

export function toCreatedApiKeyResponse(created: CreatedApiKey): CreatedApiKeyResponse {
  return { ...toApiKeyResponse(created.record), key: created.key };
}
