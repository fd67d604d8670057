import { fsCalls, grant, useFilesApi } from './support/files-api';

interface GlobPage {
  items: Array<{ path: string; kind: string; tags: string[]; metadata: Record<string, unknown> }>;
  nextCursor: string | null;
}

/** The HTTP surface of metadata and search on the real API (the index itself is fed by the worker: libs/search tests). */
describe('metadata and search routes (real API, PostgreSQL)', () => {
  const api = useFilesApi('nexus_api_search');
  const fs = fsCalls(api);

  beforeAll(async () => {
    const { editor } = api().keys;
    for (const path of ['/proj/a.ts', '/proj/b.md', '/proj/lib/c.ts', '/private/d.ts'])
      await fs.put(path, editor, `content of ${path}\n`);
    await grant(api(), '/proj', 'viewer', 'agent:files-viewer');
  });

  it('PATCH /fs/metadata sets tags and keys that stat, list and glob show; bad input is a 400 naming the field', async () => {
    const { editor, viewer } = api().keys;
    const patched = await api().call('PATCH', '/api/v1/fs/metadata', editor, {
      path: '/proj/a.ts',
      set: { status: 'draft', rank: 3 },
      addTags: ['review'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      path: '/proj/a.ts',
      metadata: { status: 'draft', rank: 3 },
      tags: ['review'],
    });
    expect(typeof patched.body['revision']).toBe('string');
    expect((await fs.get('stat?path=/proj/a.ts', viewer)).body).toMatchObject({
      tags: ['review'],
      metadata: { rank: 3 },
    });

    const bad = await api().call('PATCH', '/api/v1/fs/metadata', editor, {
      path: '/proj/a.ts',
      addTags: ['no spaces'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ details: { field: 'addTags[0]' } });
    expect(
      (await api().call('PATCH', '/api/v1/fs/metadata', viewer, { path: '/proj/a.ts', addTags: ['x'] }))
        .status,
    ).toBe(403);
  });

  it('GET /search/glob answers readable entries in path order, paged; 400 for a bad pattern', async () => {
    const { editor, viewer } = api().keys;
    const all = await api().call<GlobPage>('GET', '/api/v1/search/glob?pattern=**/*.ts', editor);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i) => i.path)).toEqual(['/private/d.ts', '/proj/a.ts', '/proj/lib/c.ts']);
    const seen = await api().call<GlobPage>('GET', '/api/v1/search/glob?pattern=**/*.ts&limit=1', viewer);
    expect(seen.body.items.map((i) => i.path)).toEqual(['/proj/a.ts']);
    const rest = await api().call<GlobPage>(
      'GET',
      `/api/v1/search/glob?pattern=**/*.ts&limit=1&cursor=${seen.body.nextCursor}`,
      viewer,
    );
    expect(rest.body.items.map((i) => i.path)).toEqual(['/proj/lib/c.ts']);
    const invalid = await api().call('GET', '/api/v1/search/glob?pattern=%5B', editor);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ details: { field: 'pattern' } });
    expect((await api().call('GET', '/api/v1/search/glob?pattern=*&limit=0', editor)).status).toBe(400);
    expect((await api().call('GET', '/api/v1/search/glob?pattern=*&minRevision=3', editor)).status).toBe(200);
    expect((await api().call('GET', '/api/v1/search/glob?pattern=*&minRevision=x', editor)).status).toBe(400);
  });

  it('POST /search/grep validates the pattern and limits (400 with the reason)', async () => {
    const { editor } = api().keys;
    const backref = await api().call('POST', '/api/v1/search/grep', editor, { pattern: '(a)\\1' });
    expect(backref.status).toBe(400);
    expect(JSON.stringify(backref.body)).toContain('backreferences');
    expect(
      (await api().call('POST', '/api/v1/search/grep', editor, { pattern: 'x', maxMatches: 0 })).status,
    ).toBe(400);
    expect(
      (await api().call('POST', '/api/v1/search/grep', editor, { pattern: 'x', unknown: 1 })).status,
    ).toBe(400);
    const fine = await api().call('POST', '/api/v1/search/grep', editor, { pattern: 'content' });
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({ truncated: false });
  });

  it('POST /search/query answers a page with facets; unknown filters and fields are a 400 naming them', async () => {
    const { editor, viewer } = api().keys;
    // The API process alone indexes nothing (the worker does): the shape and validation are what is seen here.
    const fine = await api().call('POST', '/api/v1/search/query', viewer, { q: 'content ext:ts', limit: 5 });
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({
      items: [],
      nextCursor: null,
      total: 0,
      facets: { directories: [], extensions: [], tags: [] },
      terms: ['content'],
      ranking: 'bm25',
    });
    // No embedding provider is configured here: hybrid ranking is refused, naming the field.
    const hybrid = await api().call('POST', '/api/v1/search/query', editor, { q: 'x', ranking: 'hybrid' });
    expect(hybrid.status).toBe(400);
    expect(hybrid.body).toMatchObject({ details: { field: 'ranking' } });
    expect(JSON.stringify(hybrid.body)).toContain('NEXUS_SEARCH_EMBEDDINGS');
    const unknown = await api().call('POST', '/api/v1/search/query', editor, { q: 'x', ranking: 'cosine' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ details: { fields: { ranking: [expect.any(String)] } } });
    const unknownFilter = await api().call('POST', '/api/v1/search/query', editor, { q: 'color:red' });
    expect(unknownFilter.status).toBe(400);
    expect(unknownFilter.body).toMatchObject({ details: { field: 'q' } });
    expect(JSON.stringify(unknownFilter.body)).toContain('unknown filter');
    const unknownField = await api().call('POST', '/api/v1/search/query', editor, { q: 'x', sort: 'date' });
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body)).toContain('sort');
    for (const body of [
      { q: '' },
      { q: 'x', limit: 101 },
      { q: 'x', tags: 'one' },
      { q: 'x', metadata: { a: [1] } },
    ])
      expect((await api().call('POST', '/api/v1/search/query', editor, body)).status).toBe(400);
  });

  it('status and reindex are for operators; reindex answers 202 with a job, then 200 with the same one', async () => {
    const { admin, editor } = api().keys;
    expect((await api().call('GET', '/api/v1/search/status', editor)).status).toBe(403);
    const status = await api().call('GET', '/api/v1/search/status', admin);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ lag: { head: expect.any(Number) } });
    const first = await api().call<{ jobId: string; created: boolean }>(
      'POST',
      '/api/v1/search/reindex',
      admin,
    );
    expect(first.status).toBe(202);
    const again = await api().call<{ jobId: string }>('POST', '/api/v1/search/reindex', admin, {
      full: true,
    });
    expect(again).toMatchObject({ status: 200, body: { jobId: first.body.jobId, created: false } });
    const job = await api().call<{ type: string }>('GET', `/api/v1/jobs/${first.body.jobId}`, admin);
    expect(job.body).toMatchObject({ type: 'search.reindex', progress: null });
  });
});

describe('full-text ranking with an embedding provider configured (real API, PostgreSQL)', () => {
  const api = useFilesApi('nexus_api_search_hybrid', { NEXUS_SEARCH_EMBEDDINGS: 'hashing' });

  it('POST /search/query ranks hybrid by default and bm25 on request', async () => {
    const { editor } = api().keys;
    const hybrid = await api().call('POST', '/api/v1/search/query', editor, { q: 'content' });
    expect(hybrid.status).toBe(200);
    expect(hybrid.body).toMatchObject({ items: [], total: 0, ranking: 'hybrid' });
    const bm25 = await api().call('POST', '/api/v1/search/query', editor, { q: 'content', ranking: 'bm25' });
    expect(bm25.status).toBe(200);
    expect(bm25.body).toMatchObject({ ranking: 'bm25' });
  });
});
