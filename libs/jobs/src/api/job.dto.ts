import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PaginationQueryDto } from '@nexus/core';
import { JOB_STATUSES, MAX_MAX_ATTEMPTS } from '../job-types';
import type { JobStatus } from '../job-types';

export class SubmitJobDto {
  @ApiProperty({ example: 'system.noop' })
  @IsString()
  @MaxLength(128)
  type: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_MAX_ATTEMPTS, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_MAX_ATTEMPTS)
  maxAttempts?: number;

  @ApiPropertyOptional({ description: 'Do not run before this time (ISO 8601)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  runAt?: Date;

  @ApiPropertyOptional({ description: 'A repeated key in the same zone returns the existing job (200)' })
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'idempotencyKey must be 1-255 printable ASCII characters' })
  idempotencyKey?: string;
}

export class SubmitJobBatchDto {
  @ApiProperty({ type: [SubmitJobDto], minItems: 1, maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SubmitJobDto)
  jobs: SubmitJobDto[];
}

export class ListJobsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  type?: string;

  @ApiPropertyOptional({ description: '`subjectType:subjectId` of the submitter' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  createdBy?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdAfter?: Date;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdBefore?: Date;

  @ApiPropertyOptional({ minimum: 0, description: 'Skip this many rows (alternative to cursor)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
