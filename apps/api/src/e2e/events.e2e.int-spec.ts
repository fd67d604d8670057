import { EventStreamHub } from '@nexus/events';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { tuple } from './rebac-e2e-client';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';
import { openStream, rawStream, sseFrames, waitUntil } from './support/event-stream-client';
import type { StreamClient } from './support/event-stream-client';

interface ReplayedEvent {
  id: string;
  cursor: string;
  type: string;
  path: string | null;
  fromPath: string | null;
  version: number | null;
  etag: string | null;
  aggregate: { type: string; id: string };
  actor: { type: string; id: string } | null;
  data: Record<string, unknown>;
}

interface EventPage {
  items: ReplayedEvent[];
  nextCursor: string;
  hasMore: boolean;
}

describe('events API: replay, live stream and consumers (real API, PostgreSQL)', () => {
  let database: TestDatabase;
  /** Two app instances on one database: `api` streams quickly with a short heartbeat, `tight` overflows early. */
  let api: ApiUnderTest;
  let tight: ApiUnderTest;
  let admin: string;
  let editor: string;
  let viewer: string;
  let operator: string;
  let tightClosed = false;
  const streams: StreamClient[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_events');
    admin = newAdminKey();
    api = await startApi(database.url, admin, {
      NEXUS_EVENT_STREAM_POLL_MS: '20',
      NEXUS_EVENT_STREAM_HEARTBEAT_MS: '150',
    });
    tight = await startApi(database.url, admin, {
      NEXUS_EVENT_STREAM_POLL_MS: '20',
      NEXUS_EVENT_STREAM_MAX_PENDING: '3',
    });
    editor = await createKey(api, admin, 'editor', 'events-editor');
    viewer = await createKey(api, admin, 'viewer', 'events-viewer');
    operator = await createKey(api, admin, 'operator', 'events-operator');
    await put('/shared/seed.txt', 'seed');
    await grant('/shared', 'viewer', 'agent:events-viewer');
  }, 120_000);

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  afterAll(async () => {
    await api?.app.close();
    if (!tightClosed) await tight?.app.close();
    await database?.drop();
    // 120 s: see the heartbeat test — its aborted fetch leaves a connection that holds api's close for ~60 s.
  }, 120_000);

  async function put(path: string, content: string, through: ApiUnderTest = api): Promise<void> {
    const response = await fetch(`${through.baseUrl}/api/v1/files${path}?parents=true`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${editor}` },
      body: Buffer.from(content),
    });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`PUT ${path}: ${response.status}`);
  }

  async function remove(path: string): Promise<void> {
    const response = await fetch(`${api.baseUrl}/api/v1/files${path}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${editor}` },
    });
    await response.arrayBuffer();
    if (response.status !== 204) throw new Error(`DELETE ${path}: ${response.status}`);
  }

  async function fsOp(op: string, body: unknown): Promise<void> {
    const reply = await api.call('POST', `/api/v1/fs/${op}`, editor, body);
    if (reply.status >= 300) throw new Error(`${op}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }

  async function grant(path: string, relation: string, subject: string): Promise<void> {
    const stat = await api.call<{ id: string }>('GET', `/api/v1/fs/stat?path=${path}`, admin);
    const written = await api.call('POST', '/api/v1/rebac/tuples', admin, {
      writes: [tuple(`file:${stat.body.id}`, relation, subject)],
    });
    if (written.status !== 200) throw new Error(`grant: ${written.status}`);
  }

  async function page(token: string, query: string): Promise<EventPage> {
    const reply = await api.call<EventPage>('GET', `/api/v1/events?${query}`, token);
    if (reply.status !== 200)
      throw new Error(`replay ${query}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Every page from `after` until hasMore is false, with the page sizes seen. */
  async function replayAll(token: string, query: string, after?: string) {
    const items: ReplayedEvent[] = [];
    const sizes: number[] = [];
    let cursor = after ?? '';
    for (let pages = 0; pages < 10_000; pages += 1) {
      const body = await page(token, `${query}${cursor ? `&after=${cursor}` : ''}`);
      items.push(...body.items);
      sizes.push(body.items.length);
      cursor = body.nextCursor;
      if (!body.hasMore) return { items, sizes, cursor };
    }
    throw new Error('replay did not end');
  }

  /** The zone's end now: replay from here sees only what comes next. */
  async function end(): Promise<string> {
    return (await replayAll(admin, 'limit=1000')).cursor;
  }

  function listen(
    token: string,
    query = '',
    lastEventId?: string,
    through: ApiUnderTest = api,
  ): StreamClient {
    const stream = openStream(through.baseUrl, token, query, lastEventId);
    streams.push(stream);
    return stream;
  }

  it('replays in position order, every event exactly once over pages of any size, filtered by type and path', async () => {
    const start = await end();
    for (let i = 0; i < 12; i += 1) await put(`/pg/f${i}.txt`, `v${i}`);
    await put('/pg/f1.txt', 'second version');
    await put('/pgx/other.txt', 'not under /pg');
    await fsOp('mkdir', { path: '/moved' });
    await fsOp('rename', { from: '/pg/f2.txt', to: '/moved/f2.txt' });
    await remove('/pg/f3.txt');

    const everything = await replayAll(admin, 'limit=1000', start);
    const inOrder = await api.app
      .get(DataSource)
      .query<Array<{ event_id: string }>>(
        'SELECT event_id FROM outbox_events WHERE event_id = ANY($1) ORDER BY zone_position',
        [everything.items.map((event) => event.id)],
      );
    expect(everything.items.map((event) => event.id)).toEqual(inOrder.map((row) => row.event_id));
    // 3 dir_create (/pg, /pgx, /moved), 14 file_write, a rename and a delete.
    expect(everything.items).toHaveLength(19);
    for (const limit of [1, 3, 7]) {
      const paged = await replayAll(admin, `limit=${limit}`, start);
      expect(paged.items.map((event) => event.id)).toEqual(everything.items.map((event) => event.id));
      expect(Math.max(...paged.sizes)).toBeLessThanOrEqual(limit);
    }

    const second = everything.items.find((event) => event.path === '/pg/f1.txt' && event.version === 2)!;
    expect(second).toMatchObject({
      type: 'file_write',
      fromPath: null,
      etag: expect.any(String),
      aggregate: { type: 'file', id: expect.any(String) },
      actor: { type: 'agent', id: 'events-editor' },
      data: expect.objectContaining({ path: '/pg/f1.txt', version: 2 }),
    });

    const writes = await replayAll(admin, 'types=file_write,file_delete&limit=4', start);
    expect(new Set(writes.items.map((event) => event.type))).toEqual(new Set(['file_write', 'file_delete']));
    expect(writes.items).toHaveLength(15);

    const underPg = await replayAll(admin, 'path=/pg&limit=2', start);
    const paths = underPg.items.map((event) => [event.type, event.path, event.fromPath]);
    expect(paths).toContainEqual(['file_rename', '/moved/f2.txt', '/pg/f2.txt']);
    expect(paths).toContainEqual(['file_delete', '/pg/f3.txt', null]);
    expect(paths).toContainEqual(['dir_create', '/pg', null]);
    expect(underPg.items.some((event) => event.path?.startsWith('/pgx'))).toBe(false);
    expect(underPg.items).toHaveLength(16);
    const moved = await replayAll(admin, 'path=/moved/&limit=10', start);
    expect(moved.items.map((event) => event.type)).toEqual(['dir_create', 'file_rename']);
  });

  it('shows a viewer only the events of what it may read, in paging too; an admin sees all', async () => {
    const start = await end();
    for (let i = 0; i < 10; i += 1) {
      await put(`/private/p${i}.txt`, 'hidden');
      await put(`/private/q${i}.txt`, 'hidden');
      await put(`/shared/s${i}.txt`, 'seen');
    }
    await remove('/shared/s1.txt');
    await remove('/private/p1.txt');

    const seen = await replayAll(viewer, 'limit=1000', start);
    expect(seen.items.every((event) => event.path?.startsWith('/shared/'))).toBe(true);
    expect(seen.items.map((event) => `${event.type} ${event.path}`)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `file_write /shared/s${i}.txt`),
      'file_delete /shared/s1.txt',
    ]);
    for (const limit of [1, 2, 5]) {
      const paged = await replayAll(viewer, `limit=${limit}`, start);
      expect(paged.items.map((event) => event.id)).toEqual(seen.items.map((event) => event.id));
    }
    // Hidden events are skipped, not counted: a small page stops at hidden ones rather than repeating them.
    const small = await replayAll(viewer, 'limit=1', start);
    expect(small.sizes).toContain(0);

    const all = await replayAll(admin, 'limit=1000', start);
    expect(all.items.filter((event) => event.path?.startsWith('/private/'))).toHaveLength(21);
    expect(all.items).toHaveLength(all.items.filter((e) => e.type === 'dir_create').length + 32);
  });

  it('refuses invalid cursors, types, paths and limits with 400 naming the field', async () => {
    const cases: Array<[string, string, string]> = [
      ['after=not-a-cursor', 'INVALID_CURSOR', 'after'],
      ['types=file_write,no_such_type', 'UNKNOWN_EVENT_TYPE', 'types'],
      ['path=relative/dir', 'INVALID_PATH_FILTER', 'path'],
    ];
    for (const [query, error, field] of cases) {
      const reply = await api.call<{ error: string; details: { field: string } }>(
        'GET',
        `/api/v1/events?${query}`,
        viewer,
      );
      expect({
        query,
        status: reply.status,
        error: reply.body.error,
        field: reply.body.details.field,
      }).toEqual({
        query,
        status: 400,
        error,
        field,
      });
    }
    for (const limit of ['0', '1001', 'abc']) {
      const reply = await api.call<{ details: { fields: Record<string, unknown> } }>(
        'GET',
        `/api/v1/events?limit=${limit}`,
        viewer,
      );
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body.details.fields)).toEqual(['limit']);
    }
    const stream = await fetch(`${api.baseUrl}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${viewer}`, 'last-event-id': 'garbage' },
    });
    expect(stream.status).toBe(400);
    expect(await stream.json()).toMatchObject({ details: { field: 'Last-Event-ID' } });
    expect((await api.call('GET', '/api/v1/events', null)).status).toBe(401);
  });

  it('lists the registered consumers with their lag to operators only', async () => {
    expect((await api.call('GET', '/api/v1/events/consumers', viewer)).status).toBe(403);
    const reply = await api.call<{ items: unknown[] }>('GET', '/api/v1/events/consumers', operator);
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.body.items)).toBe(true);
  });

  it('streams a write made after connecting, and resumes after Last-Event-ID without loss or repeat', async () => {
    const first = listen(editor, '?path=/live');
    await first.opened;
    await put('/live/a.txt', 'a');
    const a = await first.waitFor((event) => event.data.path === '/live/a.txt');
    expect(a).toMatchObject({ type: 'file_write', id: a.data.cursor });
    await put('/live/b.txt', 'b');
    const b = await first.waitFor((event) => event.data.path === '/live/b.txt');
    first.close();

    await put('/live/c.txt', 'c');
    await put('/live/d.txt', 'd');
    const resumed = listen(editor, '?path=/live', b.id);
    await resumed.waitFor((event) => event.data.path === '/live/d.txt');
    await put('/live/e.txt', 'e');
    await resumed.waitFor((event) => event.data.path === '/live/e.txt');
    expect(resumed.events.map((event) => event.data.path)).toEqual([
      '/live/c.txt',
      '/live/d.txt',
      '/live/e.txt',
    ]);
  });

  it('delivers to a viewer only the events it may see', async () => {
    const seen = listen(viewer);
    const all = listen(admin);
    await Promise.all([seen.opened, all.opened]);
    await put('/private/live.txt', 'hidden');
    await put('/shared/live.txt', 'seen');
    await seen.waitFor((event) => event.data.path === '/shared/live.txt');
    await all.waitFor((event) => event.data.path === '/shared/live.txt');
    expect(seen.events.map((event) => event.data.path)).toEqual(['/shared/live.txt']);
    expect(all.events.map((event) => event.data.path)).toEqual(['/private/live.txt', '/shared/live.txt']);
  });

  it('ends a stream with event: unauthorized once its key is revoked, and sends nothing after', async () => {
    const created = await api.call<{ id: string; key: string }>('POST', '/api/v1/auth/keys', admin, {
      name: 'events revoked',
      subjectType: 'agent',
      subjectId: 'events-revoked',
      role: 'viewer',
      rateLimitPerMinute: 100_000,
    });
    expect(created.status).toBe(201);
    await grant('/shared', 'viewer', 'agent:events-revoked');
    const hub = api.app.get(EventStreamHub);
    await waitUntil(() => hub.size === 0, 5_000, 'earlier streams to close');
    const seen = listen(created.body.key, '?path=/shared');
    await seen.opened;
    await put('/shared/before-revoke.txt', 'seen');
    await seen.waitFor((event) => event.data.path === '/shared/before-revoke.txt');

    const revoked = await api.call('DELETE', `/api/v1/auth/keys/${created.body.id}`, admin);
    expect(revoked.status).toBe(204);
    await put('/shared/after-revoke.txt', 'not for a revoked key');
    // Ended by the next batch or heartbeat (150 ms here); EventSource's reconnect is then refused.
    await seen.waitFor((event) => event.type === 'unauthorized');
    await waitUntil(() => hub.size === 0, 10_000, 'the stream to end');
    expect(seen.events.map((event) => event.type)).toEqual(['file_write', 'unauthorized']);
    const again = await fetch(`${api.baseUrl}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${created.body.key}` },
    });
    await again.arrayBuffer();
    expect(again.status).toBe(401);
  });

  it('sends heartbeats and no-cache, hardened headers', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api.baseUrl}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${viewer}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = response.body!.getReader();
    let text = '';
    while ((text.match(/^: heartbeat$/gm) ?? []).length < 2)
      text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await waitUntil(() => api.app.get(EventStreamHub).size === 0, 5_000, 'the stream to close');
  });

  it('serves a stream on one instance with writes made through another', async () => {
    const stream = listen(viewer, '?path=/shared', undefined, tight);
    await stream.opened;
    await put('/shared/through-api.txt', 'x', api);
    await stream.waitFor((event) => event.data.path === '/shared/through-api.txt');
    await put('/shared/through-tight.txt', 'y', tight);
    await stream.waitFor((event) => event.data.path === '/shared/through-tight.txt');
    stream.close();
  });

  it('ends a stream whose client stopped reading with event: overflow naming where to resume', async () => {
    const hub = tight.app.get(EventStreamHub);
    await waitUntil(() => hub.size === 0, 5_000, 'earlier streams to close');
    const start = await end();
    const raw = await rawStream(tight.baseUrl, '/api/v1/events/stream?path=/flood', admin);
    await waitUntil(() => hub.size === 1, 5_000, 'the stream to open');
    // Long paths make big frames: the socket's buffers fill after a few hundred events.
    const dir = `/flood/${'d'.repeat(200)}/${'e'.repeat(200)}/${'f'.repeat(200)}`;
    await put(`${dir}/first.txt`, 'x');
    for (let round = 0; round < 10 && hub.size > 0; round += 1) {
      const writes = Array.from({ length: 300 }, (_, i) => ({
        path: `${dir}/${round}-${'n'.repeat(150)}-${i}.txt`,
        content: 'x',
      }));
      await fsOp('batch', { writes });
    }
    await waitUntil(() => hub.size === 0, 10_000, 'the overflow');
    const frames = sseFrames(await raw.readToEnd());
    const last = frames.at(-1)!;
    expect(last).toMatch(/^event: overflow\ndata: \S+$/);
    // The cursor resumes right after the last event the client got: nothing lost, nothing repeated.
    const delivered = frames.flatMap((frame) => frame.match(/^id: (\S+)$/m)?.[1] ?? []);
    expect(delivered.length).toBeGreaterThan(0);
    const rest = await replayAll(admin, 'path=/flood&limit=1000', last.split('data: ')[1]);
    const everything = await replayAll(admin, 'path=/flood&limit=1000', start);
    expect(rest.items.length).toBeGreaterThan(0);
    expect([...delivered, ...rest.items.map((event) => event.cursor)]).toEqual(
      everything.items.map((event) => event.cursor),
    );
  }, 60_000);

  // Last: it shuts the second instance down.
  it('ends open streams cleanly when the API shuts down', async () => {
    const response = await fetch(`${tight.baseUrl}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // the opening comment
    const started = Date.now();
    tightClosed = true;
    await tight.app.close();
    for (let result = await reader.read(); !result.done; result = await reader.read());
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
