import { DEFAULT_MODEL_DSL } from '@nexus/rebac';
import { tuple } from './rebac-e2e-client';
import type { Page, Write } from './rebac-e2e-suite';
import { useSeededRebacApi } from './rebac-e2e-suite';
import type { Body } from './support/api-under-test';

describe('rebac REST API: model and tuples (real app, PostgreSQL and Redis)', () => {
  const { api, as } = useSeededRebacApi('nexus_api_rebac_tuples');

  it('documents every route in the OpenAPI document', async () => {
    const response = await fetch(`${api().baseUrl}/docs-json`);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/rebac/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`))
      .sort();
    expect(routes).toEqual(
      [
        'get /api/v1/rebac/changes',
        'get /api/v1/rebac/model',
        'get /api/v1/rebac/tuples',
        'post /api/v1/rebac/check',
        'post /api/v1/rebac/check/batch',
        'post /api/v1/rebac/expand',
        'post /api/v1/rebac/explain',
        'post /api/v1/rebac/list-objects',
        'post /api/v1/rebac/list-subjects',
        'post /api/v1/rebac/tuples',
        'put /api/v1/rebac/model',
      ].sort(),
    );
    expect(doc.paths['/api/v1/rebac/check']?.post?.requestBody).toBeDefined();
  });

  describe('model', () => {
    it('reads the zone’s model (viewer), as JSON or with its DSL', async () => {
      const json = await as('viewer').get<{ version: number; model: { type_definitions: unknown[] } }>(
        'model',
      );
      expect(json.status).toBe(200);
      expect(json.body.version).toBeGreaterThanOrEqual(1);
      expect(json.body.model.type_definitions.length).toBeGreaterThan(0);
      const dsl = await as('viewer').get<{ dsl: string }>('model?format=dsl');
      expect(dsl.body.dsl).toContain('type file');
      expect((await as('viewer').get('model?format=yaml')).status).toBe(400);
    });

    it('writes a new version from DSL or JSON (admin only)', async () => {
      const before = (await as('viewer').get<{ version: number; model: Body }>('model')).body;
      const dsl = `${DEFAULT_MODEL_DSL}\ntype folder\n  relations\n    define viewer: [user]\n`;
      const written = await as('admin').put<{ version: number }>('model', { dsl });
      expect(written.status).toBe(200);
      expect(written.body.version).toBe(before.version + 1);
      const again = await as('admin').put<{ version: number }>('model', { json: before.model });
      expect(again).toMatchObject({ status: 200, body: { version: before.version + 2 } });
      expect((await as('viewer').get<{ version: number }>('model')).body.version).toBe(before.version + 2);
      expect(
        (await as('viewer').get<{ dsl: string }>(`model?version=${before.version + 1}&format=dsl`)).body.dsl,
      ).toContain('type folder');
    });

    it('refuses model writes below admin, and bad models with 400', async () => {
      for (const role of ['viewer', 'editor', 'operator'] as const)
        expect((await as(role).put('model', { dsl: DEFAULT_MODEL_DSL })).status).toBe(403);
      expect((await as('admin').put('model', {})).status).toBe(400);
      expect((await as('admin').put('model', { dsl: DEFAULT_MODEL_DSL, json: {} })).status).toBe(400);
      const broken = await as('admin').put('model', {
        dsl: 'model\n  schema 1.1\ntype file\n  relations\n    define viewer: nope\n',
      });
      expect(broken.status).toBe(400);
      expect((await as('viewer').get('model?version=999')).status).toBe(404);
    });
  });

  describe('tuples', () => {
    it('writes idempotently and returns a revision token', async () => {
      const body = { writes: [tuple('file:/idem', 'viewer', 'user:zed')] };
      const first = await as('operator').post<Write>('tuples', body);
      expect(first).toMatchObject({ status: 200, body: { written: 1, deleted: 0 } });
      expect(first.body.revision).toEqual(expect.any(String));
      const second = await as('operator').post<Write>('tuples', body);
      expect(second.body).toEqual({ written: 0, deleted: 0, revision: first.body.revision });
      const removed = await as('operator').post<Write>('tuples', { deletes: body.writes });
      expect(removed.body).toMatchObject({ written: 0, deleted: 1 });
      expect(removed.body.revision).not.toBe(first.body.revision);
    });

    it('is atomic: one tuple the model refuses writes nothing', async () => {
      const response = await as('operator').post<Write>('tuples', {
        writes: [
          tuple('file:/atomic', 'viewer', 'user:amy'),
          tuple('file:/atomic', 'no_such_relation', 'user:amy'),
        ],
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('INVALID_TUPLE');
      expect(
        (await as('viewer').get<Page<unknown>>('tuples?objectType=file&objectId=/atomic')).body.items,
      ).toEqual([]);
    });

    it('honours preconditions with 412 and writes nothing then', async () => {
      const existing = tuple('file:/docs', 'owner', 'agent:agent-editor');
      const absentFails = await as('operator').post<Write>('tuples', {
        writes: [tuple('file:/pre', 'viewer', 'user:amy')],
        preconditions: { absent: [existing] },
      });
      expect(absentFails.status).toBe(412);
      const { revision } = (await as('operator').post<Write>('tuples', {})).body;
      await as('operator').post('tuples', { writes: [tuple('file:/pre-other', 'viewer', 'user:amy')] });
      const stale = await as('operator').post<Write>('tuples', {
        writes: [tuple('file:/pre', 'viewer', 'user:amy')],
        preconditions: { revision, exist: [existing] },
      });
      expect(stale.status).toBe(412);
      expect(
        (await as('viewer').get<Page<unknown>>('tuples?objectType=file&objectId=/pre')).body.items,
      ).toEqual([]);
      const ok = await as('operator').post<Write>('tuples', {
        writes: [tuple('file:/pre', 'viewer', 'user:amy')],
        preconditions: { exist: [existing] },
      });
      expect(ok).toMatchObject({ status: 200, body: { written: 1 } });
    });

    it('lets a viewer never write, an editor only where it is owner, an operator anywhere', async () => {
      const onOwned = { writes: [tuple('file:/docs/a.md', 'viewer', 'user:bob')] };
      const elsewhere = { writes: [tuple('file:/private', 'viewer', 'user:bob')] };
      const viewer = await as('viewer').post<Write>('tuples', onOwned);
      expect(viewer).toMatchObject({ status: 403, body: { error: 'ROLE_TOO_LOW' } });
      expect((await as('editor').post<Write>('tuples', onOwned)).status).toBe(200);
      const denied = await as('editor').post<Write>('tuples', {
        writes: [...onOwned.writes, ...elsewhere.writes],
      });
      expect(denied).toMatchObject({ status: 403, body: { error: 'TUPLE_WRITE_DENIED' } });
      expect((await as('editor').post<Write>('tuples', { deletes: elsewhere.writes })).status).toBe(403);
      expect(
        (await as('viewer').get<Page<unknown>>('tuples?objectType=file&objectId=/private')).body.items,
      ).toEqual([]);
      expect((await as('editor').post<Write>('tuples', { deletes: onOwned.writes })).body.deleted).toBe(1);
      expect((await as('operator').post<Write>('tuples', elsewhere)).body.written).toBe(1);
    });

    it('rejects malformed bodies, foreign fields and oversized writes with 400', async () => {
      const good = tuple('file:/x', 'viewer', 'user:x');
      for (const body of [
        { writes: [{ ...good, subject: {} }] },
        { writes: [{ ...good, relation: 'a#b' }] },
        { writes: 'nope' },
        { writes: [good], zoneId: '00000000-0000-4000-8000-000000000000' },
        { writes: [{ ...good, zoneId: '00000000-0000-4000-8000-000000000000' }] },
        { writes: Array.from({ length: 1001 }, (_, i) => tuple(`file:/${i}`, 'viewer', 'user:x')) },
      ]) {
        const response = await as('operator').post<Write>('tuples', body);
        expect(response.status).toBe(400);
      }
    });

    it('reads with filters and complete cursor paging', async () => {
      const all: Body[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `tuples?objectType=file&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { status: number; body: Page<Body> } = await as('viewer').get<Page<Body>>(query);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      const unpaged = (await as('viewer').get<Page<Body>>('tuples?objectType=file&limit=1000')).body.items;
      expect(all).toEqual(unpaged);
      expect(all.length).toBeGreaterThanOrEqual(3);
      const bySubject = await as('viewer').get<Page<Body>>(
        'tuples?subjectType=group&subjectId=eng&subjectRelation=member',
      );
      expect(bySubject.body.items).toEqual([
        expect.objectContaining(tuple('file:/docs', 'viewer', 'group:eng#member')),
      ]);
      const byRelation = await as('viewer').get<Page<Body>>('tuples?objectType=group&relation=member');
      expect(byRelation.body.items).toEqual([
        expect.objectContaining(tuple('group:eng', 'member', 'user:anne')),
      ]);
      expect((await as('viewer').get('tuples?objectId=/docs')).status).toBe(400);
      expect((await as('viewer').get('tuples?limit=0')).status).toBe(400);
      expect((await as('viewer').get('tuples?cursor=garbage!')).status).toBe(400);
    });

    it('feeds changes after a revision token', async () => {
      const start = (await as('operator').post<Write>('tuples', {})).body.revision;
      await as('operator').post('tuples', { writes: [tuple('file:/feed', 'viewer', 'user:feed')] });
      await as('operator').post('tuples', { deletes: [tuple('file:/feed', 'viewer', 'user:feed')] });
      const feed = await as('viewer').get<{
        changes: { operation: string; tuple: Body }[];
        revision: string;
      }>(`changes?since=${start}`);
      expect(feed.status).toBe(200);
      expect(feed.body.changes.map((c) => c.operation)).toEqual(['write', 'delete']);
      expect(feed.body.changes[0]?.tuple).toEqual(tuple('file:/feed', 'viewer', 'user:feed'));
      const after = await as('viewer').get<{ changes: unknown[] }>(`changes?since=${feed.body.revision}`);
      expect(after.body.changes).toEqual([]);
      const firstTwo = await as('viewer').get<{ changes: unknown[] }>('changes?limit=2');
      expect(firstTwo.body.changes).toHaveLength(2);
      expect((await as('viewer').get<{ error: string }>('changes?since=not-a-token')).body.error).toBe(
        'INVALID_REVISION_TOKEN',
      );
      expect((await as('viewer').get('changes?limit=-1')).status).toBe(400);
    });
  });
});
