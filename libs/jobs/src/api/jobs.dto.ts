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
import type { JobArtifact } from '../entities/job-artifact.entity';
import type { Job } from '../entities/job.entity';
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

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Do not run before this time' })
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

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdAfter?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
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

export class JobProgressResponse {
  @ApiProperty({ type: 'integer', description: 'Units of work done' }) done: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Units in all, when known' }) total:
    number | null;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class JobResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: 'system.noop' }) type: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty({ enum: JOB_STATUSES }) status: JobStatus;
  @ApiProperty({ type: 'integer', description: 'Attempts started so far' }) attemptCount: number;
  @ApiProperty({ type: 'integer' }) maxAttempts: number;
  @ApiProperty({ type: String, format: 'date-time', description: 'Not run before this time' })
  nextRunAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'The worker running the current attempt' })
  leaseOwner: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) leaseExpiresAt: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Set once it succeeded',
  })
  result: Record<string, unknown> | null;
  @ApiProperty({ type: JobProgressResponse, nullable: true, description: 'What the handler last reported' })
  progress: JobProgressResponse | null;
  @ApiProperty({ type: String, nullable: true }) idempotencyKey: string | null;
  @ApiProperty({ description: '`subjectType:subjectId` of the submitter' }) createdBy: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class JobPage {
  @ApiProperty({ type: [JobResponse] }) items: JobResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', description: 'Jobs matching the filters, all pages together' })
  total: number;
}

export class JobBatchResponse {
  @ApiProperty({ type: [JobResponse], description: 'One job per submitted entry, in their order' })
  items: JobResponse[];
  @ApiProperty({
    type: 'integer',
    description: 'How many are new (the others held a repeated idempotencyKey)',
  })
  created: number;
}

export class JobArtifactResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'integrity_report' }) kind: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Inline output' })
  data: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where the output lives, when not inline' })
  reference: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class JobArtifactList {
  @ApiProperty({ type: [JobArtifactResponse] }) items: JobArtifactResponse[];
}

export function toJobResponse(job: Job): JobResponse {
  return {
    id: job.id,
    zoneId: job.zoneId,
    type: job.type,
    payload: job.payload,
    status: job.status,
    attemptCount: job.attemptCount,
    maxAttempts: job.maxAttempts,
    nextRunAt: job.nextRunAt.toISOString(),
    leaseOwner: job.leaseOwner,
    leaseExpiresAt: job.leaseExpiresAt?.toISOString() ?? null,
    lastError: job.lastError,
    result: job.result,
    progress: job.progress ?? null,
    idempotencyKey: job.idempotencyKey,
    createdBy: job.createdBy,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

export function toJobArtifactResponse(artifact: JobArtifact): JobArtifactResponse {
  return {
    id: artifact.id,
    kind: artifact.kind,
    name: artifact.name,
    data: artifact.data,
    reference: artifact.reference,
    createdAt: artifact.createdAt.toISOString(),
  };
}
