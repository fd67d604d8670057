import { createHash, randomBytes } from 'node:crypto';
import { grant, useFilesApi } from './support/files-api';
import type { RawReply } from './support/files-api';

interface WriteBody {
  path: string;
  version: number;
  etag: string;
  size: number;
  contentHash: string;
  revision: string;
}

const MiB = 1024 * 1024;

/** `size` random bytes as a stream of 1 MiB chunks, and the SHA-256 of what it produced. */
function randomStream(size: number): { stream: ReadableStream<Uint8Array>; digest: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = randomBytes(Math.min(MiB, size - sent));
      hash.update(chunk);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('file content API over HTTP (real PostgreSQL)', () => {
  const api = useFilesApi('nexus_api_files');
  // Strings go as bytes: fetch would declare them text/plain, and the declared type wins over the extension.
  const put = (path: string, token: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    api().request('PUT', `/api/v1/files${path}`, token, { body: Buffer.from(body), headers });
  const get = (path: string, token: string, headers: Record<string, string> = {}) =>
    api().request('GET', `/api/v1/files${path}`, token, { headers });
  const revisionOf = (reply: RawReply) => BigInt(reply.headers.get('x-nexus-revision') ?? '-1');

  it('creates (201) and overwrites (200) a file, answering its version, etag and revision', async () => {
    const { editor } = api().keys;
    const created = await put('/notes/a.txt?parents=true', editor, 'hello world', {
      'content-type': 'text/plain',
    });
    expect(created.status).toBe(201);
    const first = created.json<WriteBody>();
    expect(first).toEqual({
      path: '/notes/a.txt',
      version: 1,
      etag: expect.any(String),
      size: 11,
      contentHash: sha256(Buffer.from('hello world')),
      revision: expect.any(String),
    });
    expect(created.headers.get('etag')).toBe(`"${first.etag}"`);
    expect(created.headers.get('x-nexus-revision')).toBe(first.revision);

    const overwritten = await put('/notes/a.txt', editor, 'hello again');
    expect(overwritten.status).toBe(200);
    expect(overwritten.json<WriteBody>()).toMatchObject({ version: 2, size: 11 });
    expect(revisionOf(overwritten)).toBeGreaterThan(revisionOf(created));
  });

  it('needs ?parents=true to create missing directories, and rejects invalid paths', async () => {
    const { editor } = api().keys;
    expect((await put('/missing/dir/x.txt', editor, 'x')).json()).toMatchObject({
      error: 'PARENT_NOT_FOUND',
    });
    expect((await put('/bad%01name', editor, 'x')).status).toBe(400);
    expect((await put('/a%2Fb', editor, 'x')).json()).toMatchObject({
      statusCode: 400,
      error: 'INVALID_PATH',
    });
    expect((await put('/notes/a.txt?parents=maybe', editor, 'x')).status).toBe(400);
    expect((await put('/notes', editor, 'x')).status).toBe(409);
  });

  it('honours If-Match and If-None-Match on PUT (412)', async () => {
    const { editor } = api().keys;
    const { etag } = (await put('/cond.txt', editor, 'v1')).json<WriteBody>();
    expect((await put('/cond.txt', editor, 'v2', { 'if-none-match': '*' })).status).toBe(412);
    expect((await put('/cond.txt', editor, 'v2', { 'if-match': '"1-0000000000000000"' })).status).toBe(412);
    expect((await put('/cond.txt', editor, 'v2', { 'if-match': `"${etag}"` })).status).toBe(200);
    expect((await put('/cond-new.txt', editor, 'n', { 'if-none-match': '*' })).status).toBe(201);
  });

  it('serves the bytes with ETag, Content-Type, Content-Length and Accept-Ranges; past versions by ?version', async () => {
    const { editor } = api().keys;
    await put('/read.md', editor, '# one');
    const { etag } = (await put('/read.md', editor, '# two!')).json<WriteBody>();
    const current = await get('/read.md', editor);
    expect(current.status).toBe(200);
    expect(current.bytes.toString()).toBe('# two!');
    expect(current.headers.get('etag')).toBe(`"${etag}"`);
    expect(current.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(current.headers.get('content-length')).toBe('6');
    expect(current.headers.get('accept-ranges')).toBe('bytes');
    const past = await get('/read.md?version=1', editor);
    expect(past.bytes.toString()).toBe('# one');
    expect(past.headers.get('etag')).not.toBe(`"${etag}"`);
    expect((await get('/read.md?version=9', editor)).json()).toMatchObject({ statusCode: 404 });
    expect((await get('/read.md?version=zero', editor)).status).toBe(400);
    expect((await get('/nowhere.md', editor)).status).toBe(404);
    expect((await get('/notes', editor)).status).toBe(409);
  });

  it('serves byte ranges (206), refuses unsatisfiable ones (416) and serves multi-ranges whole', async () => {
    const { editor } = api().keys;
    await put('/digits.txt', editor, '0123456789');
    const cases: Array<[string, string, string]> = [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
    ];
    for (const [range, content, contentRange] of cases) {
      const reply = await get('/digits.txt', editor, { range });
      expect({ status: reply.status, body: reply.bytes.toString() }).toEqual({ status: 206, body: content });
      expect(reply.headers.get('content-range')).toBe(contentRange);
      expect(reply.headers.get('content-length')).toBe(String(content.length));
    }
    for (const range of ['bytes=10-', 'bytes=-0']) {
      const reply = await get('/digits.txt', editor, { range });
      expect(reply.status).toBe(416);
      expect(reply.headers.get('content-range')).toBe('bytes */10');
    }
    const multi = await get('/digits.txt', editor, { range: 'bytes=0-1,4-5' });
    expect({ status: multi.status, body: multi.bytes.toString() }).toEqual({
      status: 200,
      body: '0123456789',
    });
  });

  it('answers 304 to a matching If-None-Match and headers only to HEAD', async () => {
    const { editor } = api().keys;
    const { etag } = (await put('/fresh.json', editor, '{"a":1}')).json<WriteBody>();
    const notModified = await get('/fresh.json', editor, { 'if-none-match': `"${etag}"` });
    expect(notModified.status).toBe(304);
    expect(notModified.bytes.length).toBe(0);
    expect((await get('/fresh.json', editor, { 'if-none-match': '"other"' })).status).toBe(200);
    const head = await api().request('HEAD', '/api/v1/files/fresh.json', editor);
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get('content-length')).toBe('7');
    expect(head.headers.get('etag')).toBe(`"${etag}"`);
    expect(head.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await api().request('HEAD', '/api/v1/files/none.json', editor)).status).toBe(404);
  });

  it('deletes a file (204) honouring If-Match, with a newer revision', async () => {
    const { editor } = api().keys;
    const written = await put('/gone.txt', editor, 'bye');
    const { etag } = written.json<WriteBody>();
    const del = (headers: Record<string, string> = {}) =>
      api().request('DELETE', '/api/v1/files/gone.txt', editor, { headers });
    expect((await del({ 'if-match': '"1-0000000000000000"' })).status).toBe(412);
    const deleted = await del({ 'if-match': `"${etag}"` });
    expect(deleted.status).toBe(204);
    expect(revisionOf(deleted)).toBeGreaterThan(revisionOf(written));
    expect((await get('/gone.txt', editor)).status).toBe(404);
    expect((await del()).status).toBe(404);
  });

  it('accepts ?minRevision= on reads and rejects a malformed one (400)', async () => {
    const { editor } = api().keys;
    const { revision } = (await put('/fresh-read.txt', editor, 'now')).json<WriteBody>();
    const read = await get(`/fresh-read.txt?minRevision=${revision}`, editor);
    expect({ status: read.status, body: read.bytes.toString() }).toEqual({ status: 200, body: 'now' });
    for (const bad of ['abc', '-1', '1.5'])
      expect((await get(`/fresh-read.txt?minRevision=${bad}`, editor)).status).toBe(400);
  });

  it('streams a 20 MiB upload through and serves back identical bytes', async () => {
    const { editor } = api().keys;
    const { stream, digest } = randomStream(20 * MiB);
    const written = await api().request('PUT', '/api/v1/files/big.bin', editor, {
      body: stream,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(written.status).toBe(201);
    const hash = digest();
    expect(written.json<WriteBody>()).toMatchObject({ size: 20 * MiB, contentHash: hash });
    const read = await get('/big.bin', editor);
    expect(read.headers.get('content-length')).toBe(String(20 * MiB));
    expect(sha256(read.bytes)).toBe(hash);
  }, 60_000);

  it('lets a viewer read what it was granted but never write (403), and 401s without a key', async () => {
    const { editor, viewer } = api().keys;
    await put('/shared/report.txt?parents=true', editor, 'numbers');
    await grant(api(), '/shared', 'viewer', 'agent:files-viewer');
    expect((await get('/shared/report.txt', viewer)).bytes.toString()).toBe('numbers');
    expect((await api().request('HEAD', '/api/v1/files/shared/report.txt', viewer)).status).toBe(200);
    expect((await put('/shared/report.txt', viewer, 'changed')).status).toBe(403);
    expect((await put('/viewer.txt', viewer, 'new')).status).toBe(403);
    expect((await api().request('DELETE', '/api/v1/files/shared/report.txt', viewer)).status).toBe(403);
    expect((await get('/shared/report.txt', editor)).bytes.toString()).toBe('numbers');
    expect((await api().request('GET', '/api/v1/files/shared/report.txt', null)).status).toBe(401);
  });

  it('refuses (403) another user of the zone without grants', async () => {
    const { editor, otherEditor } = api().keys;
    await put('/private/plan.txt?parents=true', editor, 'secret');
    expect((await get('/private/plan.txt', otherEditor)).status).toBe(403);
    expect((await api().request('HEAD', '/api/v1/files/private/plan.txt', otherEditor)).status).toBe(403);
    expect((await put('/private/plan.txt', otherEditor, 'mine')).status).toBe(403);
    expect((await put('/private/new.txt', otherEditor, 'mine')).status).toBe(403);
    expect((await api().request('DELETE', '/api/v1/files/private/plan.txt', otherEditor)).status).toBe(403);
  });

  it('hides one zone’s files from another zone’s key (404)', async () => {
    const { editor, foreignAdmin } = api().keys;
    await put('/zoned.txt', editor, 'zone a');
    expect((await get('/zoned.txt', foreignAdmin)).status).toBe(404);
    expect((await api().request('HEAD', '/api/v1/files/zoned.txt', foreignAdmin)).status).toBe(404);
    expect((await api().request('DELETE', '/api/v1/files/zoned.txt', foreignAdmin)).status).toBe(404);
    expect((await put('/zoned.txt', foreignAdmin, 'x', { 'if-match': '*' })).status).toBe(412);
    expect((await get('/zoned.txt', editor)).bytes.toString()).toBe('zone a');
  });

  it('documents the file routes in /docs-json', async () => {
    const docs = await api().call<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/docs-json',
      null,
    );
    const filePath = Object.keys(docs.body.paths).find((path) => path.startsWith('/api/v1/files/'));
    expect(filePath).toBeDefined();
    expect(Object.keys(docs.body.paths[filePath!]!)).toEqual(
      expect.arrayContaining(['put', 'get', 'head', 'delete']),
    );
  });
});
