import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT, cspDirectivesOf } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { parse as parseContentDisposition } from 'content-disposition';
import { DataSource } from 'typeorm';
import { newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';
import { useFilesApi } from './support/files-api';
import type { FilesApi } from './support/files-api';

/** Anonymous requests per minute per client address in these tests: the fourth is refused. */
const ANONYMOUS_LIMIT = 3;
const ALLOWED_ORIGIN = 'https://app.example.com';
const OTHER_ORIGIN = 'https://elsewhere.example.com';

/**
 * Rate-limit windows are whole clock minutes: a sequence that must land in one
 * window waits for a fresh one when this one is about to end.
 */
async function awaitRoomInRateWindow(neededMs = 5_000): Promise<void> {
  const leftMs = 60_000 - (Date.now() % 60_000);
  if (leftMs < neededMs) await new Promise((resolve) => setTimeout(resolve, leftMs + 50));
}

/** The client address the audit log recorded for a failed token exchange sent with these headers. */
async function auditedAddressOfFailedExchange(
  baseUrl: string,
  dataSource: DataSource,
  headers: Record<string, string>,
): Promise<string> {
  const requestId = randomUUID();
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    // Looks like a key, but no such key exists.
    body: JSON.stringify({ apiKey: `nx_default_${randomBytes(33).toString('base64url')}` }),
  });
  expect(response.status).toBe(401);
  const rows = await dataSource.query<{ ip: string }[]>(
    `SELECT details->>'ip' AS ip FROM audit_log WHERE action = 'auth_failure' AND request_id = $1`,
    [requestId],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.ip;
}

/** Statuses of anonymous, rate-limited requests, one per X-Forwarded-For value, in order. */
async function anonymousStatuses(baseUrl: string, forwardedFor: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const address of forwardedFor) {
    const response = await fetch(`${baseUrl}/api/v1/auth/schemes`, {
      headers: { 'x-forwarded-for': address },
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

describe('HTTP hygiene with the default configuration (real PostgreSQL and Redis)', () => {
  const api = useFilesApi('nexus_api_http_hygiene', { NEXUS_RATE_LIMIT_ANONYMOUS: String(ANONYMOUS_LIMIT) });
  const baseUrl = async () => api().app.getUrl();
  const upload = async (files: FilesApi, path: string, type: string, content: string) => {
    const written = await files.request('PUT', `/api/v1/files${path}?parents=true`, files.keys.editor, {
      body: Buffer.from(content),
      headers: { 'content-type': type },
    });
    if (written.status !== 201)
      throw new Error(`upload of ${path} failed: ${written.status} ${written.bytes.toString()}`);
  };

  describe('file content', () => {
    it.each([
      ['/hygiene/page.html', 'text/html', '<script>alert(document.domain)</script>'],
      [
        '/hygiene/logo.svg',
        'image/svg+xml',
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      ],
    ])('serves %s (%s) as a sandboxed, unsniffed download', async (path, type, content) => {
      const files = api();
      await upload(files, path, type, content);
      for (const method of ['GET', 'HEAD']) {
        const served = await files.request(method, `/api/v1/files${path}`, files.keys.editor);
        expect(served.status).toBe(200);
        const disposition = parseContentDisposition(served.headers.get('content-disposition') ?? '');
        expect(disposition).toEqual({ type: 'attachment', parameters: { filename: path.split('/').pop() } });
        expect(served.headers.get('content-security-policy')).toBe('sandbox');
        expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });

    it('shows plain text in place, still sandboxed and unsniffed', async () => {
      const files = api();
      await upload(files, '/hygiene/notes.txt', 'text/plain', '<script>not run</script>');
      const served = await files.request('GET', '/api/v1/files/hygiene/notes.txt', files.keys.editor);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('text/plain');
      expect(parseContentDisposition(served.headers.get('content-disposition') ?? '')).toEqual({
        type: 'inline',
        parameters: { filename: 'notes.txt' },
      });
      expect(served.headers.get('content-security-policy')).toBe('sandbox');
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('names a file with a non-ASCII name through filename*, with an ASCII fallback', async () => {
      const files = api();
      const name = 'résumé 2026.txt';
      await upload(files, `/hygiene/${encodeURIComponent(name)}`, 'text/plain', 'cv');
      const served = await files.request(
        'GET',
        `/api/v1/files/hygiene/${encodeURIComponent(name)}`,
        files.keys.editor,
      );
      const header = served.headers.get('content-disposition') ?? '';
      expect(header).toMatch(/^inline; filename="r\?sum\? 2026\.txt"; filename\*=UTF-8''/);
      expect(parseContentDisposition(header).parameters.filename).toBe(name);
    });
  });

  describe('API answers', () => {
    it('carry nosniff and a policy that loads nothing and forbids framing, errors included', async () => {
      const files = api();
      const answers = [
        await files.request('GET', '/api/v1/auth/whoami', files.keys.editor),
        await files.request('GET', '/api/v1/fs/stat?path=%2Fno-such-entry', files.keys.editor),
        await files.request('GET', '/healthz', null),
      ];
      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 200]);
      for (const answer of answers) {
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(cspDirectivesOf(answer.headers.get('content-security-policy'))).toEqual({
          'default-src': ["'none'"],
          'frame-ancestors': ["'none'"],
        });
      }
    });
  });

  describe('the Swagger UI at /docs', () => {
    it('is served, with a policy that lets it load what it references', async () => {
      const url = `${await baseUrl()}/docs`;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const policy = cspDirectivesOf(page.headers.get('content-security-policy'));
      expect(policy['script-src']).toEqual(["'self'"]);
      expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      const html = await page.text();
      // script-src 'self' runs no inline script: the page must have none.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      const scripts = [...html.matchAll(/<script[^>]*\bsrc=["']([^"']+)["']/g)].map((match) => match[1]!);
      const styles = [...html.matchAll(/<link[^>]*\bhref=["']([^"']+\.css)["']/g)].map((match) => match[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      expect(styles.length).toBeGreaterThan(0);
      // Same origin, and (nosniff) served with the types browsers demand of scripts and stylesheets.
      for (const [references, type] of [
        [scripts, /javascript/],
        [styles, /^text\/css/],
      ] as const) {
        for (const reference of references) {
          const asset = new URL(reference, url);
          expect(asset.origin).toBe(new URL(url).origin);
          const response = await fetch(asset);
          await response.arrayBuffer();
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toMatch(type);
        }
      }
    });

    it('describes the API at /docs-json, versioned like the root package.json', async () => {
      const response = await fetch(`${await baseUrl()}/docs-json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as { openapi: string; info: { version: string } };
      expect(document.openapi).toMatch(/^3\./);
      const { version } = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as {
        version: string;
      };
      expect(document.info.version).toBe(version);
    });
  });

  it('ignores X-Forwarded-For: the peer is the client, for the audit log and the rate limit', async () => {
    const dataSource = api().app.get(DataSource);
    const url = await baseUrl();
    await awaitRoomInRateWindow();
    // Every anonymous request counts against 127.0.0.1, whichever address it claims.
    expect(await auditedAddressOfFailedExchange(url, dataSource, { 'x-forwarded-for': '198.51.100.7' })).toBe(
      '127.0.0.1',
    );
    expect(await anonymousStatuses(url, ['203.0.113.10', '203.0.113.20', '203.0.113.30'])).toEqual([
      200, 200, 429,
    ]);
  });

  it('answers no CORS headers, to simple requests or preflights', async () => {
    const url = await baseUrl();
    const simple = await fetch(`${url}/healthz`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${url}/api/v1/files/hygiene/notes.txt`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'PUT' },
    });
    await preflight.arrayBuffer();
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('HTTP hygiene with NEXUS_TRUST_PROXY=1 and NEXUS_CORS_ORIGINS (real PostgreSQL and Redis)', () => {
  let database: TestDatabase | undefined;
  let api: ApiUnderTest | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_http_proxy');
    api = await startApi(database.url, newAdminKey(), {
      NEXUS_TRUST_PROXY: '1',
      NEXUS_CORS_ORIGINS: `${ALLOWED_ORIGIN},http://localhost:5173`,
      NEXUS_RATE_LIMIT_ANONYMOUS: String(ANONYMOUS_LIMIT),
    });
  }, 60_000);

  afterAll(async () => {
    await api?.app.close();
    await database?.drop();
  }, 60_000);

  const started = () => {
    if (!api) throw new Error('the API is not started');
    return api;
  };

  it('records the address the proxy saw in the audit log', async () => {
    const { app, baseUrl } = started();
    const audited = (headers: Record<string, string>) =>
      auditedAddressOfFailedExchange(baseUrl, app.get(DataSource), headers);
    // One hop: the last address, the one the proxy appended; what the client claimed before it is not believed.
    expect(await audited({ 'x-forwarded-for': '192.0.2.66, 198.51.100.7' })).toBe('198.51.100.7');
    // No header: the peer itself.
    expect(await audited({})).toBe('127.0.0.1');
  });

  it('gives each forwarded client its own rate-limit bucket', async () => {
    const { baseUrl } = started();
    await awaitRoomInRateWindow();
    const first = ['203.0.113.10', '203.0.113.10', '203.0.113.10', '203.0.113.10'];
    expect(await anonymousStatuses(baseUrl, first)).toEqual([200, 200, 200, 429]);
    // Another client behind the same proxy is not locked out by the first.
    expect(await anonymousStatuses(baseUrl, ['203.0.113.20', '203.0.113.10'])).toEqual([200, 429]);
  });

  it('allows an allowed origin, exposing the headers clients read', async () => {
    const response = await fetch(`${started().baseUrl}/healthz`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(/\s*,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining(['ETag', 'X-Nexus-Revision', 'Content-Range', 'Retry-After', 'X-Request-ID']),
    );
  });

  it('answers an allowed origin’s preflight for a file upload', async () => {
    const response = await fetch(`${started().baseUrl}/api/v1/files/docs/a.txt`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, content-type, if-match',
      },
    });
    await response.arrayBuffer();
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
  });

  it('gives other origins nothing', async () => {
    const { baseUrl } = started();
    const simple = await fetch(`${baseUrl}/healthz`, { headers: { origin: OTHER_ORIGIN } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${baseUrl}/api/v1/files/docs/a.txt`, {
      method: 'OPTIONS',
      headers: { origin: OTHER_ORIGIN, 'access-control-request-method': 'PUT' },
    });
    await preflight.arrayBuffer();
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
