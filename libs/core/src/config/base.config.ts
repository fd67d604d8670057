import { Expose } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { EnvInt, Secret } from './env.decorators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every Nexus process reads. Each app extends this with its own class. */
export class BaseConfig {
  /** PostgreSQL server; when unset the embedded PGlite database in NEXUS_DATA_DIR is used. */
  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  @Secret()
  DATABASE_URL?: string;

  /** Where embedded data (PGlite database, later blobs and KV) lives. */
  @Expose()
  @IsString()
  @MinLength(1)
  NEXUS_DATA_DIR = './.nexus';

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(100)
  DB_POOL_IDLE_MS = 10_000;

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  DB_STATEMENT_TIMEOUT_MS = 30_000;

  /** Concurrent client connections the embedded database accepts. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(2)
  @Max(100)
  NEXUS_EMBEDDED_DB_MAX_CONNECTIONS = 16;

  @Expose()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  @Secret()
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Expose()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';
}
