import { fsCalls, grant, useFilesApi } from './support/files-api';

interface Stat {
  id: string;
  path: string;
  kind: 'file' | 'dir';
  size: number;
  version: number;
  etag: string | null;
}

interface Listing {
  items: Stat[];
  nextCursor: string | null;
}

describe('filesystem operations API over HTTP (real PostgreSQL)', () => {
  const api = useFilesApi('nexus_api_fs_ops');
  const { get, post, put, read } = fsCalls(api);

  it('stats, checks existence and lists (paged, recursive) with minRevision', async () => {
    const { editor } = api().keys;
    const written = await put('/tree/b.txt', editor, 'bb');
    await put('/tree/a.txt', editor, 'a');
    await put('/tree/sub/c.txt', editor, 'ccc');
    const revision = written.headers.get('x-nexus-revision');
    const stat = await get<Stat>(`stat?path=/tree/b.txt&minRevision=${revision}`, editor);
    expect(stat).toMatchObject({
      status: 200,
      body: { path: '/tree/b.txt', kind: 'file', size: 2, version: 1 },
    });
    expect((await get('stat?path=/tree/none', editor)).status).toBe(404);
    expect((await get('stat', editor)).status).toBe(400);
    expect((await get('stat?path=/tree&minRevision=x1', editor)).status).toBe(400);
    expect((await get('exists?path=/tree/a.txt', editor)).body).toEqual({
      path: '/tree/a.txt',
      exists: true,
    });
    expect((await get('exists?path=/tree/z.txt&minRevision=1', editor)).body).toEqual({
      path: '/tree/z.txt',
      exists: false,
    });

    const first = await get<Listing>('list?path=/tree&limit=2', editor);
    expect(first.body.items.map((item) => item.path)).toEqual(['/tree/sub', '/tree/a.txt']);
    const second = await get<Listing>(`list?path=/tree&limit=2&cursor=${first.body.nextCursor}`, editor);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ path: '/tree/b.txt' })],
      nextCursor: null,
    });
    const all = await get<Listing>(`list?path=/tree&recursive=true&minRevision=${revision}`, editor);
    expect(all.body.items.map((item) => item.path)).toEqual([
      '/tree/a.txt',
      '/tree/b.txt',
      '/tree/sub',
      '/tree/sub/c.txt',
    ]);
    expect((await get('list?path=/tree/a.txt', editor)).status).toBe(409);
    expect((await get('list?path=/tree&limit=0', editor)).status).toBe(400);
    expect((await get('list?path=/tree&recursive=maybe', editor)).status).toBe(400);
  });

  it('makes and removes directories', async () => {
    const { editor } = api().keys;
    expect(await post('mkdir', editor, { path: '/dirs/x/y', parents: true })).toMatchObject({
      status: 201,
      body: { path: '/dirs/x/y', created: true, revision: expect.any(String) },
    });
    expect(await post('mkdir', editor, { path: '/dirs/x/y', parents: true })).toMatchObject({
      status: 200,
      body: { created: false },
    });
    expect((await post('mkdir', editor, { path: '/dirs/x/y' })).status).toBe(409);
    expect((await post('mkdir', editor, { path: '/nowhere/q' })).status).toBe(404);
    expect((await post('mkdir', editor, { path: '/bad\u0001dir' })).body).toMatchObject({
      error: 'INVALID_PATH',
    });
    expect((await post('mkdir', editor, { path: 5 })).body).toMatchObject({
      statusCode: 400,
      error: 'VALIDATION_FAILED',
    });
    expect((await post('mkdir', editor, { path: '/d', unknown: 1 })).status).toBe(400);
    expect((await post('rmdir', editor, { path: '/dirs' })).status).toBe(409);
    expect(await post('rmdir', editor, { path: '/dirs', recursive: true })).toMatchObject({
      status: 200,
      body: { path: '/dirs', removed: expect.any(Number) },
    });
    expect((await get('exists?path=/dirs/x', editor)).body).toMatchObject({ exists: false });
  });

  it('renames and copies files and subtrees', async () => {
    const { editor } = api().keys;
    await put('/mv/one.txt', editor, 'one');
    await put('/mv/two.txt', editor, 'two');
    expect(await post('rename', editor, { from: '/mv/one.txt', to: '/mv/uno.txt' })).toMatchObject({
      status: 200,
      body: { from: '/mv/one.txt', to: '/mv/uno.txt', revision: expect.any(String) },
    });
    expect(await read('/mv/uno.txt', editor)).toBe('one');
    expect((await post('rename', editor, { from: '/mv/uno.txt', to: '/mv/two.txt' })).status).toBe(409);
    expect(
      (await post('rename', editor, { from: '/mv/uno.txt', to: '/mv/two.txt', overwrite: true })).status,
    ).toBe(200);
    expect(await read('/mv/two.txt', editor)).toBe('one');
    expect((await post('rename', editor, { from: '/mv/gone.txt', to: '/mv/x.txt' })).status).toBe(404);
    expect(await post('copy', editor, { from: '/mv', to: '/mv-copy' })).toMatchObject({
      status: 201,
      body: { from: '/mv', to: '/mv-copy', revision: expect.any(String) },
    });
    expect(await read('/mv-copy/two.txt', editor)).toBe('one');
    expect((await post('copy', editor, { from: '/mv/two.txt', to: '/mv-copy/two.txt' })).status).toBe(409);
    expect((await post('copy', editor, { to: '/x' })).status).toBe(400);
  });

  it('writes batches atomically, honouring per-path ifMatch', async () => {
    const { editor } = api().keys;
    const batch = await post<{ items: Stat[]; revision: string }>('batch', editor, {
      writes: [
        { path: '/batch/a.txt', content: 'alpha' },
        { path: '/batch/b.bin', content: Buffer.from([0, 1, 2]).toString('base64'), encoding: 'base64' },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.items.map((item) => item.path)).toEqual(['/batch/a.txt', '/batch/b.bin']);
    expect(batch.body.revision).toEqual(expect.any(String));
    const stale = await post('batch', editor, {
      writes: [
        { path: '/batch/a.txt', content: 'beta' },
        { path: '/batch/new.txt', content: 'new' },
      ],
      ifMatch: { '/batch/a.txt': '"9-0000000000000000"' },
    });
    expect(stale.status).toBe(412);
    expect(await read('/batch/a.txt', editor)).toBe('alpha');
    expect((await get('exists?path=/batch/new.txt', editor)).body).toMatchObject({ exists: false });
    const invalid = [
      { writes: [] },
      { writes: [{ path: '/batch/c.txt', content: 'x', encoding: 'hex' }] },
      { writes: [{ path: '/batch/c.txt', content: '***', encoding: 'base64' }] },
      { writes: [{ path: '/batch/c.txt', content: 'x' }], ifMatch: { '/batch/c.txt': 5 } },
    ];
    for (const body of invalid) expect((await post('batch', editor, body)).status).toBe(400);
  });

  it('edits text, keeps versions, diffs and restores them', async () => {
    const { editor } = api().keys;
    const { etag } = (await put('/doc/v.md', editor, 'hello world\n')).json<{ etag: string }>();
    const edited = await post('edit', editor, {
      path: '/doc/v.md',
      edits: [{ find: 'world', replace: 'there' }],
      ifMatch: etag,
    });
    expect(edited).toMatchObject({
      status: 200,
      body: { version: 2, replacements: 1, revision: expect.any(String) },
    });
    expect(await read('/doc/v.md', editor)).toBe('hello there\n');
    expect(
      (await post('edit', editor, { path: '/doc/v.md', edits: [{ find: 'absent', replace: 'x' }] })).status,
    ).toBe(409);
    expect(
      (
        await post('edit', editor, {
          path: '/doc/v.md',
          edits: [{ find: 'hello', replace: 'x' }],
          ifMatch: etag,
        })
      ).status,
    ).toBe(412);
    expect(
      (await post('edit', editor, { path: '/doc/v.md', edits: [{ find: '', replace: 'x' }] })).status,
    ).toBe(400);

    const versions = await get<{ items: Array<{ version: number }>; nextCursor: string | null }>(
      'versions?path=/doc/v.md&limit=1',
      editor,
    );
    expect(versions.body.items.map((item) => item.version)).toEqual([2]);
    const older = await get<{ items: Array<{ version: number }> }>(
      `versions?path=/doc/v.md&cursor=${versions.body.nextCursor}`,
      editor,
    );
    expect(older.body.items.map((item) => item.version)).toEqual([1]);

    const diff = await get<{ diff: string }>('diff?path=/doc/v.md&from=1&to=2', editor);
    expect(diff.status).toBe(200);
    expect(diff.body.diff).toContain('-hello world');
    expect(diff.body.diff).toContain('+hello there');
    expect((await get('diff?path=/doc/v.md&from=1', editor)).status).toBe(400);
    expect((await get('diff?path=/doc/v.md&from=1&to=7', editor)).status).toBe(404);

    expect(await post('restore', editor, { path: '/doc/v.md', version: 1 })).toMatchObject({
      status: 200,
      body: { path: '/doc/v.md', version: 3, revision: expect.any(String) },
    });
    expect(await read('/doc/v.md', editor)).toBe('hello world\n');
    expect((await post('restore', editor, { path: '/doc/v.md', version: 9 })).status).toBe(404);
    expect((await post('restore', editor, { path: '/doc/v.md', version: 'one' })).status).toBe(400);
  });

  it('locks a path against other writers (423) until it is unlocked', async () => {
    const { editor, otherEditor } = api().keys;
    await put('/locked/f.txt', editor, 'mine');
    await grant(api(), '/locked', 'editor', 'agent:files-other-editor');
    const lock = await post('lock', editor, { path: '/locked', ttlMs: 60_000 });
    expect(lock).toMatchObject({
      status: 200,
      body: { path: '/locked', owner: 'agent:files-editor', fencingToken: expect.any(String) },
    });
    expect((await put('/locked/f.txt', otherEditor, 'theirs')).status).toBe(423);
    expect((await post('unlock', otherEditor, { path: '/locked' })).status).toBe(423);
    expect((await put('/locked/f.txt', editor, 'still mine')).status).toBe(200);
    expect((await post('lock', editor, { path: '/locked', ttlMs: 'long' })).status).toBe(400);
    const unlocked = await api().request('POST', '/api/v1/fs/unlock', editor, { body: { path: '/locked' } });
    expect(unlocked.status).toBe(204);
    expect((await post('unlock', editor, { path: '/locked' })).status).toBe(404);
    expect((await put('/locked/f.txt', otherEditor, 'theirs')).status).toBe(200);
  });

  it('answers every mutation with a revision header that only grows', async () => {
    const { editor } = api().keys;
    const steps: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/fs/mkdir', { path: '/rev', parents: true }],
      ['POST', '/api/v1/fs/batch', { writes: [{ path: '/rev/a.txt', content: 'a' }] }],
      ['PUT', '/api/v1/files/rev/a.txt', Buffer.from('b')],
      ['POST', '/api/v1/fs/edit', { path: '/rev/a.txt', edits: [{ find: 'b', replace: 'c' }] }],
      ['POST', '/api/v1/fs/restore', { path: '/rev/a.txt', version: 1 }],
      ['POST', '/api/v1/fs/copy', { from: '/rev/a.txt', to: '/rev/b.txt' }],
      ['POST', '/api/v1/fs/rename', { from: '/rev/b.txt', to: '/rev/c.txt' }],
      ['DELETE', '/api/v1/files/rev/c.txt', undefined],
      ['POST', '/api/v1/fs/rmdir', { path: '/rev', recursive: true }],
    ];
    let last = -1n;
    for (const [method, path, body] of steps) {
      const reply = await api().request(method, path, editor, { body });
      expect({ path, ok: reply.status < 300 }).toEqual({ path, ok: true });
      const revision = BigInt(reply.headers.get('x-nexus-revision') ?? '-1');
      expect(revision).toBeGreaterThan(last);
      if (reply.bytes.length) expect(reply.json<{ revision: string }>().revision).toBe(revision.toString());
      last = revision;
    }
  });

  it('documents every operation in /docs-json', async () => {
    const docs = await api().call<{ paths: Record<string, unknown> }>('GET', '/docs-json', null);
    const ops = ['stat', 'exists', 'list', 'mkdir', 'rmdir', 'rename', 'copy', 'batch', 'edit', 'versions'];
    for (const op of [...ops, 'restore', 'diff', 'lock', 'unlock'])
      expect(Object.keys(docs.body.paths)).toContain(`/api/v1/fs/${op}`);
  });
});
