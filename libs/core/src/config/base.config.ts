import { Expose } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { EnvBoolean, EnvInt, EnvList, Secret } from './env.decorators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const KV_ENGINES = ['embedded', 'etcd'] as const;
export type KvEngineName = (typeof KV_ENGINES)[number];

/** Text embeddings for hybrid search: none, an OpenAI-compatible server, or the deterministic hashing provider (no model). */
export const SEARCH_EMBEDDINGS = ['none', 'openai', 'hashing'] as const;
export type SearchEmbeddingsName = (typeof SEARCH_EMBEDDINGS)[number];

/** Validates a setting only with NEXUS_SEARCH_EMBEDDINGS=openai, where it is required (or whenever it is set). */
const forOpenAi = (key: keyof BaseConfig) =>
  ValidateIf(
    (config: BaseConfig) => config.NEXUS_SEARCH_EMBEDDINGS === 'openai' || config[key] !== undefined,
  );
const requiredForOpenAi = (name: string, invalid: string) => ({
  message: (args?: { value: unknown }) =>
    args?.value === undefined
      ? `${name} is required when NEXUS_SEARCH_EMBEDDINGS=openai`
      : `${name} ${invalid}`,
});

const ETCD_ENDPOINT = /^https?:\/\/[^\s/?#@]+(:\d{1,5})?\/?$/;

/** A non-empty list of etcd client URLs, with one message for whatever is wrong. */
function EtcdEndpoints(): PropertyDecorator {
  return ValidateBy({
    name: 'etcdEndpoints',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((url) => typeof url === 'string' && ETCD_ENDPOINT.test(url)),
      defaultMessage: (args) =>
        args?.value === undefined
          ? 'NEXUS_ETCD_ENDPOINTS is required when NEXUS_KV=etcd'
          : 'NEXUS_ETCD_ENDPOINTS must be comma-separated http:// or https:// URLs (host:port)',
    },
  });
}

/** Variables every Nexus process reads. Each app extends this with its own class. */
export class BaseConfig {
  /** PostgreSQL server; when unset `npm start` runs the embedded PostgreSQL server in NEXUS_DATA_DIR. */
  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  @Secret()
  DATABASE_URL?: string;

  /** Where local data lives: the embedded PostgreSQL server (postgres/), the embedded KV store (kv/), blobs (cas/). */
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

  /** max_connections of the embedded PostgreSQL server (`npm start` without DATABASE_URL). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(20)
  @Max(1000)
  NEXUS_EMBEDDED_DB_MAX_CONNECTIONS = 100;

  /** Port of the embedded PostgreSQL server on 127.0.0.1; 0 picks a free one at every start. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  NEXUS_EMBEDDED_DB_PORT = 0;

  @Expose()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  @Secret()
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Expose()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** raft-kv engine: the embedded LMDB store in NEXUS_DATA_DIR/kv, or an etcd cluster. */
  @Expose()
  @IsIn(KV_ENGINES, { message: `NEXUS_KV must be one of: ${KV_ENGINES.join(', ')}` })
  NEXUS_KV: KvEngineName = 'embedded';

  /** etcd client URLs, required when NEXUS_KV=etcd. */
  @Expose()
  @EnvList()
  @ValidateIf((config: BaseConfig) => config.NEXUS_KV === 'etcd' || config.NEXUS_ETCD_ENDPOINTS !== undefined)
  @EtcdEndpoints()
  NEXUS_ETCD_ENDPOINTS?: string[];

  /**
   * BullMQ queue that delivers jobs (API publishes, workers consume). Unset: a queue
   * of this deployment's own (`nexus-jobs-<deployment id>`); set the same value on two
   * deployments only when they share one database.
   */
  @Expose()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'NEXUS_JOBS_QUEUE must be 1-64 letters, digits, dot, dash or underscore',
  })
  NEXUS_JOBS_QUEUE?: string;

  /** How often a worker writes its heartbeat row; three missed beats show it as gone. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(100)
  @Max(600_000)
  NEXUS_WORKER_HEARTBEAT_MS = 5_000;

  /**
   * Embeddings for hybrid full-text ranking (BM25 fused with vector similarity); read by
   * the API (query vectors) and the worker (document vectors). `none`: BM25 only.
   */
  @Expose()
  @IsIn(SEARCH_EMBEDDINGS, {
    message: `NEXUS_SEARCH_EMBEDDINGS must be one of: ${SEARCH_EMBEDDINGS.join(', ')}`,
  })
  NEXUS_SEARCH_EMBEDDINGS: SearchEmbeddingsName = 'none';

  /** The OpenAI-compatible embeddings endpoint (e.g. `https://host/v1/embeddings`); required with `openai`. */
  @Expose()
  @forOpenAi('NEXUS_SEARCH_EMBEDDINGS_URL')
  @Matches(
    /^https?:\/\/\S+$/,
    requiredForOpenAi('NEXUS_SEARCH_EMBEDDINGS_URL', 'must be an http:// or https:// URL'),
  )
  @Secret()
  NEXUS_SEARCH_EMBEDDINGS_URL?: string;

  /** The embedding model's name as the server knows it; required with `openai`. */
  @Expose()
  @forOpenAi('NEXUS_SEARCH_EMBEDDINGS_MODEL')
  @Matches(/^\S.{0,199}$/, requiredForOpenAi('NEXUS_SEARCH_EMBEDDINGS_MODEL', 'must be 1 to 200 characters'))
  NEXUS_SEARCH_EMBEDDINGS_MODEL?: string;

  /** Length of the model's vectors; required with `openai` (with `hashing`: default 256). */
  @Expose()
  @EnvInt()
  @forOpenAi('NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS')
  @ValidateBy({
    name: 'embeddingDimensions',
    validator: {
      validate: (value: unknown) =>
        Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 16_384,
      defaultMessage: requiredForOpenAi(
        'NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS',
        'must be a whole number from 1 to 16384',
      ).message,
    },
  })
  NEXUS_SEARCH_EMBEDDINGS_DIMENSIONS?: number;

  /** Bearer token for the embeddings server (optional). */
  @Expose()
  @IsOptional()
  @IsString()
  @Secret()
  NEXUS_SEARCH_EMBEDDINGS_API_KEY?: string;

  /** Characters of a file's content embedded (after its path). */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  NEXUS_SEARCH_EMBED_CHARS = 8_000;

  /** Webhook subscriptions may use http:// URLs too (local receivers, tests); https:// only by default. */
  @Expose()
  @EnvBoolean()
  @IsBoolean({ message: 'NEXUS_WEBHOOK_ALLOW_HTTP must be true or false' })
  NEXUS_WEBHOOK_ALLOW_HTTP = false;

  /**
   * Host names, IP addresses and CIDRs (comma-separated) that webhooks may reach although
   * the address policy forbids them (an internal receiver). Each entry is checked at
   * start by the subscriptions domain (`parseAllowList`), which names a bad one.
   */
  @Expose()
  @IsOptional()
  @IsString()
  NEXUS_WEBHOOK_ALLOW_HOSTS?: string;

  /** Hours a rotated-out webhook secret keeps signing deliveries (0–720, default 24; checked at start by the subscriptions domain). */
  @Expose()
  @IsOptional()
  @Matches(/^\s*\d+(\.\d+)?\s*$/, {
    message: 'NEXUS_WEBHOOK_ROTATION_HOURS must be a number of hours between 0 and 720',
  })
  NEXUS_WEBHOOK_ROTATION_HOURS?: string;

  /** Delays before each delivery attempt (`0,5s,5m,30m,2h,5h,10h,10h` by default; parsed at start by the subscriptions domain). */
  @Expose()
  @IsOptional()
  @IsString()
  NEXUS_WEBHOOK_RETRY_SCHEDULE?: string;

  /** Consecutive failed messages after which a subscription is disabled (default 20; parsed by the subscriptions domain). */
  @Expose()
  @IsOptional()
  @IsString()
  NEXUS_WEBHOOK_MAX_FAILURES?: string;

  /** One delivery attempt's time limit in ms, DNS to response (default 15000). */
  @Expose()
  @EnvInt()
  @IsInt({ message: 'NEXUS_WEBHOOK_TIMEOUT_MS must be an integer number of milliseconds' })
  @Min(100, { message: 'NEXUS_WEBHOOK_TIMEOUT_MS must be at least 100' })
  @Max(120_000, { message: 'NEXUS_WEBHOOK_TIMEOUT_MS must be at most 120000' })
  NEXUS_WEBHOOK_TIMEOUT_MS = 15_000;

  /** 32 bytes, base64: the vault's AES-256-GCM key (OAuth credentials, webhook secrets): the API seals, the worker opens webhook secrets to sign. Unset: the vault answers 503. */
  @Expose()
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'NEXUS_ENCRYPTION_KEY must be 32 bytes encoded as base64 (44 characters)',
  })
  @Secret()
  NEXUS_ENCRYPTION_KEY?: string;
}
