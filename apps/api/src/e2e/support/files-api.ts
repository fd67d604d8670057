import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiConfig, loadConfig } from '@nexus/core';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { createApiApp } from '../../bootstrap/create-api-app';
import { JWT_SECRET, createKey, newAdminKey, tuple } from '../rebac-e2e-client';
import type { ApiUnderTest, Body, Reply } from '../rebac-e2e-client';

/** One HTTP exchange with everything a filesystem test looks at. */
export interface RawReply {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The body parsed as JSON ({} when empty). */
  json<T = Body>(): T;
}

export interface RequestOptions {
  /** A JSON value (sent as application/json) or raw bytes / a stream (sent as they are). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** The keys a filesystem test acts with: every role of zone `default`, a second editor, and a key of another zone. */
export interface FilesKeys {
  admin: string;
  viewer: string;
  editor: string;
  /** Another user of the same zone, with no grants on the editor's files. */
  otherEditor: string;
  /** An admin of a different zone. */
  foreignAdmin: string;
}

export interface FilesApi {
  app: NestFastifyApplication;
  keys: FilesKeys;
  request(method: string, path: string, token: string | null, options?: RequestOptions): Promise<RawReply>;
  /** JSON in, JSON out. */
  call<T = Body>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply<T>>;
}

function isRawBody(body: unknown): body is NonNullable<RequestInit['body']> {
  return (
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ReadableStream ||
    body instanceof Blob
  );
}

async function startFilesApi(
  databaseUrl: string,
  adminKey: string,
  overrides: Record<string, string>,
): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const config = loadConfig(ApiConfig, {
    NEXUS_PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    NEXUS_ADMIN_KEY: adminKey,
    NEXUS_JWT_SECRET: JWT_SECRET,
    NEXUS_RATE_LIMIT_ANONYMOUS: '1000000',
    // Blobs and the embedded KV store of each app in a directory of its own.
    NEXUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'nexus-files-e2e-')),
    ...overrides,
  });
  const app = await createApiApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: await app.getUrl() };
}

/**
 * Registers beforeAll/afterAll: a fresh database, the real API on a random
 * port (config `overrides` on top of the test defaults) and the keys of
 * FilesKeys. Returns an accessor for use inside tests.
 */
export function useFilesApi(prefix: string, overrides: Record<string, string> = {}): () => FilesApi {
  let database: TestDatabase | undefined;
  let api: FilesApi | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(prefix);
    const adminKey = newAdminKey();
    const { app, baseUrl } = await startFilesApi(database.url, adminKey, overrides);
    const request: FilesApi['request'] = async (method, path, token, options = {}) => {
      const { body, headers = {} } = options;
      const json = body !== undefined && !isRawBody(body);
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : json ? JSON.stringify(body) : (body as RequestInit['body']),
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return {
        status: response.status,
        headers: response.headers,
        bytes,
        json: <T>() => (bytes.length ? JSON.parse(bytes.toString('utf8')) : {}) as T,
      };
    };
    const call: FilesApi['call'] = async (method, path, token, body, headers) => {
      const reply = await request(method, path, token, { body, headers });
      return { status: reply.status, body: reply.json() };
    };
    const client: ApiUnderTest = { app, baseUrl, call };
    const zone = await call<{ id: string }>('POST', '/api/v1/zones', adminKey, { name: 'other-zone' });
    if (zone.status !== 201)
      throw new Error(`zone creation failed: ${zone.status} ${JSON.stringify(zone.body)}`);
    const keys: FilesKeys = {
      admin: adminKey,
      viewer: await createKey(client, adminKey, 'viewer', 'files-viewer'),
      editor: await createKey(client, adminKey, 'editor', 'files-editor'),
      otherEditor: await createKey(client, adminKey, 'editor', 'files-other-editor'),
      foreignAdmin: await createKey(client, adminKey, 'admin', 'files-foreign-admin', zone.body.id),
    };
    api = { app, keys, request, call };
  }, 60_000);

  afterAll(async () => {
    // Timed: a slow shutdown under a loaded CI machine should say which step it was.
    const closing = Date.now();
    await api?.app.close();
    const dropping = Date.now();
    await database?.drop();
    const slow = Math.max(dropping - closing, Date.now() - dropping);
    if (slow > 5_000)
      process.stderr.write(
        `files e2e teardown slow: app.close ${dropping - closing} ms, drop ${Date.now() - dropping} ms\n`,
      );
  }, 90_000);

  return () => {
    if (!api) throw new Error('the API is not started');
    return api;
  };
}

/** Gives `subject` (e.g. `agent:files-viewer`) `relation` on the entry at `path`, as the zone admin. */
export async function grant(api: FilesApi, path: string, relation: string, subject: string): Promise<void> {
  const stat = await api.call<{ id: string }>(
    'GET',
    `/api/v1/fs/stat?path=${encodeURIComponent(path)}`,
    api.keys.admin,
  );
  if (stat.status !== 200) throw new Error(`stat ${path} failed: ${stat.status}`);
  const written = await api.call('POST', '/api/v1/rebac/tuples', api.keys.admin, {
    writes: [tuple(`file:${stat.body.id}`, relation, subject)],
  });
  if (written.status !== 200)
    throw new Error(`grant failed: ${written.status} ${JSON.stringify(written.body)}`);
}

/** Shorthands for `/api/v1/fs/<op>` calls and file writes/reads, bound to a started FilesApi. */
export function fsCalls(api: () => FilesApi) {
  return {
    get: <T = Body>(op: string, token: string) => api().call<T>('GET', `/api/v1/fs/${op}`, token),
    post: <T = Body>(op: string, token: string, body: unknown) =>
      api().call<T>('POST', `/api/v1/fs/${op}`, token, body),
    /** Writes `content` (creating parents). */
    put: (path: string, token: string, content: string) =>
      api().request('PUT', `/api/v1/files${path}?parents=true`, token, { body: Buffer.from(content) }),
    read: async (path: string, token: string) =>
      (await api().request('GET', `/api/v1/files${path}`, token)).bytes.toString(),
  };
}
