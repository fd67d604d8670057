import { Expose } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { BaseConfig } from './base.config';
import { EnvBoolean, EnvInt } from './env.decorators';

/** Configuration of the HTTP API process. */
export class ApiConfig extends BaseConfig {
  @Expose()
  @IsString()
  @MinLength(1)
  NEXUS_HOST = '127.0.0.1';

  /** 0 picks a free port (tests). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  NEXUS_PORT = 2026;

  @Expose()
  @EnvBoolean()
  @IsBoolean()
  NEXUS_SKIP_MIGRATIONS = false;

  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(120_000)
  NEXUS_SHUTDOWN_GRACE_MS = 10_000;
}
