import { randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { DataSource } from 'typeorm';
import { startAuthTestApp } from './auth-test-app';
import type { AuthTestApp } from './auth-test-app';

/**
 * HTTP and SQL helpers for the auth integration tests. Requests go through
 * node:http so a test can pick its client address (127.x.y.z): per-IP rate
 * limits are shared through Redis by every test file, so a test that counts
 * them needs an address of its own.
 */

export interface HttpResponse<T = Record<string, unknown>> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Client address the connection comes from (any 127.0.0.0/8 address). */
  from?: string;
}

export function call<T = Record<string, unknown>>(
  api: AuthTestApp,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResponse<T>> {
  const url = new URL(path, api.baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        localAddress: options.from ?? CLIENT_IP,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = {};
          if (text) {
            try {
              body = JSON.parse(text);
            } catch {
              body = { raw: text };
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body as T, text });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A client address no other test uses, for per-IP rate limits (Linux routes all of 127.0.0.0/8 to lo). */
export function uniqueClientIp(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/**
 * Where this test file's requests come from unless a test says otherwise: an address
 * of its own, so the failed credentials and token exchanges of one suite never count
 * against another suite's 127.0.0.1 in the shared Redis counters.
 */
export const CLIENT_IP = process.platform === 'linux' ? uniqueClientIp() : '127.0.0.1';

/**
 * The auth test app with a per-IP limit high enough that the test files sharing
 * 127.0.0.1 (and its Redis counter) never throttle one another; tests of the IP
 * limit set their own and use uniqueClientIp().
 */
export function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<AuthTestApp> {
  return startAuthTestApp(databaseUrl, { NEXUS_RATE_LIMIT_ANONYMOUS: '1000000', ...env });
}

export function dataSourceOf(api: AuthTestApp): DataSource {
  return api.app.get(DataSource);
}

export interface CreatedKey {
  id: string;
  key: string;
  keyPrefix: string;
  role: string;
  zoneId: string;
  subjectType: string;
  subjectId: string;
}

let agentCounter = 0;

/** A new API key made through the API by `creator`; an agent subject unless told otherwise. */
export async function createKey(
  api: AuthTestApp,
  creator: string,
  input: {
    role: string;
    subjectType?: string;
    subjectId?: string;
    rateLimitPerMinute?: number;
    expiresAt?: string;
    name?: string;
  },
  headers: Record<string, string> = {},
): Promise<CreatedKey> {
  agentCounter += 1;
  const response = await call<CreatedKey>(api, 'POST', '/api/v1/auth/keys', {
    token: creator,
    headers,
    body: {
      name: input.name ?? `test key ${agentCounter}`,
      subjectType: input.subjectType ?? 'agent',
      subjectId: input.subjectId ?? `agent-${process.pid}-${agentCounter}`,
      role: input.role,
      ...(input.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    },
  });
  if (response.status !== 201) throw new Error(`key creation failed: ${response.status} ${response.text}`);
  return response.body;
}

export async function createZone(
  api: AuthTestApp,
  superuser: string,
  name: string,
): Promise<{ id: string; name: string }> {
  const response = await call<{ id: string; name: string }>(api, 'POST', '/api/v1/zones', {
    token: superuser,
    body: { name },
  });
  if (response.status !== 201) throw new Error(`zone creation failed: ${response.status} ${response.text}`);
  return response.body;
}

export async function exchangeToken(api: AuthTestApp, apiKey: string): Promise<string> {
  const response = await call<{ accessToken: string }>(api, 'POST', '/api/v1/auth/token', {
    body: { apiKey },
  });
  if (response.status !== 200) throw new Error(`token exchange failed: ${response.status} ${response.text}`);
  return response.body.accessToken;
}

export interface AuditRow {
  action: string;
  outcome: string;
  zone_id: string | null;
  actor_type: string | null;
  actor_id: string | null;
  details: Record<string, unknown>;
}

/** Audit rows of an action whose details contain `match` (jsonb containment). */
export async function auditRows(
  api: AuthTestApp,
  action: string,
  match: Record<string, unknown> = {},
): Promise<AuditRow[]> {
  return dataSourceOf(api).query(
    'SELECT action, outcome, zone_id, actor_type, actor_id, details FROM audit_log WHERE action = $1 AND details @> $2::jsonb ORDER BY occurred_at',
    [action, JSON.stringify(match)],
  );
}

/** Polls until `check` passes or `timeoutMs` elapses; returns how long it took. */
export async function eventually(
  check: () => Promise<void>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await sleep(intervalMs);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits, if needed, so that the next `neededMs` fall inside one one-minute rate-limit window. */
export async function withinOneWindow(neededMs: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < neededMs) await sleep(left + 50);
}
