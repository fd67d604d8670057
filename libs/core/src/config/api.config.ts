import { Expose } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { BaseConfig } from './base.config';
import { EnvBoolean, EnvInt, EnvList, Secret } from './env.decorators';
import { EnvTrustProxy, WebOrigins } from './http-edge.decorators';
import type { TrustProxySetting } from './http-edge.decorators';

export type { TrustProxySetting } from './http-edge.decorators';

export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

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

  /** HMAC secret for access tokens. Unset: a random per-process secret (tokens then work only on the issuing process). */
  @Expose()
  @IsOptional()
  @MinLength(32, { message: 'NEXUS_JWT_SECRET must be at least 32 characters' })
  @Secret()
  NEXUS_JWT_SECRET?: string;

  @Expose()
  @IsIn(JWT_ALGORITHMS)
  NEXUS_JWT_ALGORITHM: JwtAlgorithm = 'HS256';

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  NEXUS_JWT_EXPIRY_MINUTES = 15;

  /** Registers this key as the bootstrap superuser key instead of generating one. */
  @Expose()
  @IsOptional()
  @Matches(/^nx_[a-z0-9][a-z0-9-]{0,62}_[A-Za-z0-9_-]{43,}$/, {
    message: 'NEXUS_ADMIN_KEY must look like nx_<zone-slug>_<at least 43 base64url characters>',
  })
  @Secret()
  NEXUS_ADMIN_KEY?: string;

  /** Largest file content the API accepts, in bytes; larger uploads answer 413. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  NEXUS_MAX_FILE_BYTES = 1024 * 1024 * 1024;

  /** Requests per minute per key, by role, unless the key sets its own limit. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  NEXUS_RATE_LIMIT_VIEWER = 600;

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  NEXUS_RATE_LIMIT_EDITOR = 1200;

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  NEXUS_RATE_LIMIT_OPERATOR = 3000;

  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  NEXUS_RATE_LIMIT_ADMIN = 6000;

  /** Requests per minute per client IP for unauthenticated requests (token exchange, failed credentials). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  NEXUS_RATE_LIMIT_ANONYMOUS = 120;

  /**
   * Permission evaluations running at once in this process (admission control);
   * unset: half of DB_POOL_SIZE. Checks beyond it wait in a bounded queue.
   */
  @Expose()
  @IsOptional()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000)
  NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS?: number;

  /** Checks waiting for an evaluation; past it a check answers 503 with Retry-After instead of queueing. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  NEXUS_REBAC_MAX_QUEUED_CHECKS = 5_000;

  /** How often each API process reads new events for its open event streams (ms). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(10)
  @Max(60_000)
  NEXUS_EVENT_STREAM_POLL_MS = 200;

  /** A comment line every this many ms keeps an idle event stream (and proxies) alive. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(100)
  @Max(300_000)
  NEXUS_EVENT_STREAM_HEARTBEAT_MS = 15_000;

  /** Events an event stream may have waiting for a slow client; past it the stream ends with `event: overflow`. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  NEXUS_EVENT_STREAM_MAX_PENDING = 1_000;

  /**
   * Whose X-Forwarded-For to believe for the client address (per-IP rate limits,
   * audit entries): off by default, since a client could otherwise pick its own.
   */
  @Expose()
  @EnvTrustProxy()
  NEXUS_TRUST_PROXY: TrustProxySetting = false;

  /** Browser origins allowed to call the API (CORS). Unset: no cross-origin access. */
  @Expose()
  @IsOptional()
  @EnvList()
  @WebOrigins()
  NEXUS_CORS_ORIGINS?: string[];
}
