import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiConfig, loadConfig } from '@nexus/core';
import { createApiApp } from '../../bootstrap/create-api-app';

/** HTTP helpers shared by the e2e tests: the real API app on a given database, and JSON calls to it. */

export interface Reply<T> {
  status: number;
  body: T;
}

export type Body = Record<string, unknown>;

export interface ApiUnderTest {
  app: NestFastifyApplication;
  baseUrl: string;
  /** The configuration the app was started with (defaults plus overrides). */
  config: ApiConfig;
  /**
   * JSON in (when `body` is given), `{ status, body }` out; `{}` for an empty response body.
   * A plain function (no `this`), so it may be passed around on its own.
   */
  call: <T = Body>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Reply<T>>;
}

export const JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

/** A superuser key for NEXUS_ADMIN_KEY, in zone `default`. */
export function newAdminKey(): string {
  return `nx_default_${randomBytes(33).toString('base64url')}`;
}

/**
 * Starts the real API on 127.0.0.1 and a random port, on `databaseUrl`, with
 * `adminKey` as NEXUS_ADMIN_KEY. Config `overrides` apply last, on top of the
 * test defaults.
 */
export async function startApi(
  databaseUrl: string,
  adminKey: string,
  overrides: Record<string, string> = {},
): Promise<ApiUnderTest> {
  const config = loadConfig(ApiConfig, {
    NEXUS_PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    NEXUS_ADMIN_KEY: adminKey,
    NEXUS_JWT_SECRET: JWT_SECRET,
    NEXUS_RATE_LIMIT_ANONYMOUS: '1000000',
    // Each app its own local data directory (blobs and the embedded KV store live there).
    NEXUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'nexus-e2e-')),
    ...overrides,
  });
  const app = await createApiApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = await app.getUrl();
  async function call<T = Body>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }
  return { app, baseUrl, config, call };
}

/** A new API key of `role` for subject agent:`subjectId`, made by `creator` (in `zoneId` when given). */
export async function createKey(
  api: ApiUnderTest,
  creator: string,
  role: string,
  subjectId: string,
  zoneId?: string,
): Promise<string> {
  const created = await api.call<{ key: string }>(
    'POST',
    '/api/v1/auth/keys',
    creator,
    { name: `${role} ${subjectId}`, subjectType: 'agent', subjectId, role, rateLimitPerMinute: 100_000 },
    zoneId ? { 'x-nexus-zone-id': zoneId } : {},
  );
  if (created.status !== 201)
    throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.key;
}
