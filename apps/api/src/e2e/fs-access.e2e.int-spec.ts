import { fsCalls, grant, useFilesApi } from './support/files-api';

interface Listing {
  items: Array<{ path: string }>;
  nextCursor: string | null;
}

describe('filesystem operations API: roles, grants and zones (real PostgreSQL)', () => {
  const api = useFilesApi('nexus_api_fs_access');
  const { get, post, put, read } = fsCalls(api);

  it('lets a viewer read but refuses it every write (403)', async () => {
    const { editor, viewer } = api().keys;
    await put('/seen/s.txt', editor, 'seen');
    await grant(api(), '/seen', 'viewer', 'agent:files-viewer');
    expect((await get('stat?path=/seen/s.txt', viewer)).status).toBe(200);
    expect((await get<Listing>('list?path=/seen', viewer)).body.items).toHaveLength(1);
    expect((await get('versions?path=/seen/s.txt', viewer)).status).toBe(200);
    const writes: Array<[string, unknown]> = [
      ['mkdir', { path: '/seen/d' }],
      ['rmdir', { path: '/seen' }],
      ['rename', { from: '/seen/s.txt', to: '/seen/t.txt' }],
      ['copy', { from: '/seen/s.txt', to: '/seen/t.txt' }],
      ['batch', { writes: [{ path: '/seen/s.txt', content: 'x' }] }],
      ['edit', { path: '/seen/s.txt', edits: [{ find: 'seen', replace: 'x' }] }],
      ['restore', { path: '/seen/s.txt', version: 1 }],
      ['lock', { path: '/seen', ttlMs: 60_000 }],
      ['unlock', { path: '/seen' }],
    ];
    for (const [op, body] of writes)
      expect({ op, status: (await post(op, viewer, body)).status }).toEqual({ op, status: 403 });
  });

  it('refuses (403) another user of the zone without grants', async () => {
    const { editor, otherEditor } = api().keys;
    await put('/mine/m.txt', editor, 'mine');
    expect((await get('stat?path=/mine/m.txt', otherEditor)).status).toBe(403);
    expect((await get('exists?path=/mine/m.txt', otherEditor)).status).toBe(403);
    expect((await get('versions?path=/mine/m.txt', otherEditor)).status).toBe(403);
    expect((await post('mkdir', otherEditor, { path: '/mine/d' })).status).toBe(403);
    expect((await post('rename', otherEditor, { from: '/mine/m.txt', to: '/m.txt' })).status).toBe(403);
    expect(
      (await post('edit', otherEditor, { path: '/mine/m.txt', edits: [{ find: 'm', replace: 'x' }] })).status,
    ).toBe(403);
    expect((await post('lock', otherEditor, { path: '/mine', ttlMs: 60_000 })).status).toBe(403);
    expect(
      (await get<Listing>('list?path=/', otherEditor)).body.items.map((item) => item.path),
    ).not.toContain('/mine');
  });

  it('hides one zone’s entries from another zone’s key (404)', async () => {
    const { editor, foreignAdmin } = api().keys;
    await put('/zone-a/f.txt', editor, 'a');
    await put('/zone-a/f.txt', editor, 'b');
    const reads = [
      'stat?path=/zone-a/f.txt',
      'list?path=/zone-a',
      'versions?path=/zone-a/f.txt',
      'diff?path=/zone-a/f.txt&from=1&to=2',
    ];
    for (const op of reads)
      expect({ op, status: (await get(op, foreignAdmin)).status }).toEqual({ op, status: 404 });
    expect((await get('exists?path=/zone-a/f.txt', foreignAdmin)).body).toMatchObject({ exists: false });
    const writes: Array<[string, unknown]> = [
      ['rmdir', { path: '/zone-a', recursive: true }],
      ['rename', { from: '/zone-a/f.txt', to: '/g.txt' }],
      ['copy', { from: '/zone-a/f.txt', to: '/g.txt' }],
      ['edit', { path: '/zone-a/f.txt', edits: [{ find: 'b', replace: 'x' }] }],
      ['restore', { path: '/zone-a/f.txt', version: 1 }],
    ];
    for (const [op, body] of writes)
      expect({ op, status: (await post(op, foreignAdmin, body)).status }).toEqual({ op, status: 404 });
    expect((await get<Listing>('list?path=/', foreignAdmin)).body.items).toEqual([]);
    expect(await read('/zone-a/f.txt', editor)).toBe('b');
  });
});
