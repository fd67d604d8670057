import { ValidationError } from '@nexus/core';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { validateSync } from 'class-validator';
import { JobType } from '../job-types';
import type { JobPayloads } from '../job-types';

class NoopPayloadDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  echo?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  failTimes?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  sleepMs?: number;
}

class IntegrityAuditPayloadDto {
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'table must be a lower-case table name' })
  table: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  sampleSize: number;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'expectedChecksum must be a sha256 hex digest' })
  expectedChecksum?: string;
}

class PruneJobsPayloadDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_650)
  olderThanDays?: number;
}

class FsGcPayloadDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  graceSeconds?: number;
}

class FsIntegrityAuditPayloadDto {
  @IsInt()
  @Min(1)
  @Max(10_000)
  sampleSize: number;
}

class FsReconcilePayloadDto {
  @IsOptional()
  @IsUUID()
  zoneId?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  limit?: number;
}

const PAYLOAD_CLASSES: { [T in JobType]: new () => object } = {
  [JobType.Noop]: NoopPayloadDto,
  [JobType.IntegrityAudit]: IntegrityAuditPayloadDto,
  [JobType.PruneJobs]: PruneJobsPayloadDto,
  [JobType.FsGc]: FsGcPayloadDto,
  [JobType.FsIntegrityAudit]: FsIntegrityAuditPayloadDto,
  [JobType.FsReconcile]: FsReconcilePayloadDto,
};

/** The payload checked against its type's schema (unknown properties refused), or a 400. */
export function validatePayload<T extends JobType>(type: T, payload: unknown): JobPayloads[T] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ValidationError('payload must be an object', { type }, 'INVALID_JOB_PAYLOAD');
  }
  const instance = plainToInstance(PAYLOAD_CLASSES[type], payload);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const problems = errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`);
    throw new ValidationError(`Invalid payload for ${type}: ${problems.join('; ')}`, { type, problems }, 'INVALID_JOB_PAYLOAD');
  }
  return payload as JobPayloads[T];
}
