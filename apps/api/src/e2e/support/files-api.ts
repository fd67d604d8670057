import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { tuple } from '../rebac-e2e-client';
import { createKey, newAdminKey, startApi } from './api-under-test';
import type { ApiUnderTest, Body } from './api-under-test';

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
  /** JSON in, JSON out (raw bodies: `request`). */
  call: ApiUnderTest['call'];
}

function isRawBody(body: unknown): body is NonNullable<RequestInit['body']> {
  return (
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ReadableStream ||
    body instanceof Blob
  );
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
    const client = await startApi(database.url, adminKey, overrides);
    const { app, baseUrl, call } = client;
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
