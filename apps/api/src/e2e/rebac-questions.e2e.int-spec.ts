import { tuple } from './rebac-e2e-client';
import type { Page } from './rebac-e2e-suite';
import { check, useSeededRebacApi } from './rebac-e2e-suite';
import type { Body } from './support/api-under-test';

describe('rebac REST API: checks, expand, explain and lists (real app, PostgreSQL and Redis)', () => {
  const { api, as } = useSeededRebacApi('nexus_api_rebac_questions');

  describe('questions', () => {
    it('checks through groups and parents; contextual tuples count, never stored', async () => {
      const yes = await as('viewer').post<{ allowed: boolean; revision: string }>(
        'check',
        check('file:/docs/a.md', 'viewer', 'user:anne'),
      );
      expect(yes.status).toBe(200);
      expect(yes.body).toEqual({ allowed: true, revision: expect.any(String) });
      const no = await as('viewer').post('check', check('file:/docs/a.md', 'viewer', 'user:carl'));
      expect(no.body).toMatchObject({ allowed: false });
      const contextual = await as('viewer').post(
        'check',
        check('file:/docs/a.md', 'viewer', 'user:carl', {
          contextualTuples: [tuple('group:eng', 'member', 'user:carl')],
        }),
      );
      expect(contextual.body).toMatchObject({ allowed: true });
      expect(
        (await as('viewer').post('check', check('file:/docs/a.md', 'viewer', 'user:carl'))).body,
      ).toMatchObject({
        allowed: false,
      });
    });

    it('answers many concurrent checks each on its own (coalesced into batches)', async () => {
      const users = Array.from({ length: 60 }, (_, i) => `load-${i}`);
      await as('operator').post('tuples', {
        writes: [
          tuple('file:/load', 'viewer', 'group:load#member'),
          ...users.filter((_, i) => i % 2 === 0).map((u) => tuple('group:load', 'member', `user:${u}`)),
        ],
      });
      const answers = await Promise.all([
        ...users.map((u) =>
          as('viewer').post<{ allowed: boolean }>('check', check('file:/load', 'viewer', `user:${u}`)),
        ),
        as('viewer').post<{ allowed: boolean }>('check', check('file:/docs', 'no_such_relation', 'user:x')),
      ]);
      expect(answers.slice(0, users.length).map((a) => [a.status, a.body.allowed])).toEqual(
        users.map((_, i) => [200, i % 2 === 0]),
      );
      expect(answers[users.length]?.status).toBe(400);
    });

    it('answers 400 to malformed checks and 401 without a credential', async () => {
      const valid = check('file:/docs', 'viewer', 'user:anne');
      for (const body of [
        { ...valid, subject: null },
        { ...valid, relation: 'a#b' },
        { ...valid, consistency: { mode: 'eventually' } },
        { ...valid, extra: 1 },
        { ...valid, relation: 'no_such_relation' },
      ]) {
        expect((await as('viewer').post('check', body)).status).toBe(400);
      }
      expect((await api().call('POST', '/api/v1/rebac/check', null, valid)).status).toBe(401);
      expect((await api().call('POST', '/api/v1/rebac/check', 'nx_default_nope', valid)).status).toBe(401);
      expect((await api().call('GET', '/api/v1/rebac/tuples', null)).status).toBe(401);
    });

    it('batch-checks up to 1,000, each result on its own', async () => {
      const batch = await as('viewer').post<{
        results: { allowed: boolean; error?: { code: string } }[];
        revision: string;
      }>('check/batch', {
        checks: [
          check('file:/docs/a.md', 'viewer', 'user:anne'),
          check('file:/docs/a.md', 'viewer', 'user:carl'),
          check('file:/docs', 'no_such_relation', 'user:anne'),
        ],
      });
      expect(batch.status).toBe(200);
      expect(batch.body.results.map((r) => r.allowed)).toEqual([true, false, false]);
      expect(batch.body.results[2]?.error?.code).toEqual(expect.any(String));
      const big = Array.from({ length: 1000 }, (_, i) => check(`file:/docs/${i}`, 'viewer', 'user:anne'));
      expect(
        (await as('viewer').post<{ results: unknown[] }>('check/batch', { checks: big })).body.results,
      ).toHaveLength(1000);
      expect((await as('viewer').post('check/batch', { checks: [...big, big[0]] })).status).toBe(400);
      expect((await as('viewer').post('check/batch', { checks: [] })).status).toBe(400);
    });

    it('expands and explains', async () => {
      const expanded = await as('viewer').post<{ tree: Body; revision: string }>('expand', {
        object: { type: 'file', id: '/docs' },
        relation: 'viewer',
      });
      expect(expanded.status).toBe(200);
      expect(JSON.stringify(expanded.body.tree)).toContain('"eng"');
      expect(
        (await as('viewer').post('expand', { object: { type: 'file' }, relation: 'viewer' })).status,
      ).toBe(400);
      const explained = await as('viewer').post<{ allowed: boolean; reason: string; trace: Body }>(
        'explain',
        check('file:/docs/a.md', 'viewer', 'user:anne'),
      );
      expect(explained.body).toMatchObject({ allowed: true, reason: 'granted' });
      const denied = await as('viewer').post('explain', check('file:/docs/a.md', 'viewer', 'user:carl'));
      expect(denied.body).toMatchObject({ allowed: false, reason: 'no_path' });
      expect((await as('viewer').post('explain', { relation: 'viewer' })).status).toBe(400);
    });

    it('lists objects and subjects completely, paged', async () => {
      const objects: Body[] = [];
      let cursor: string | undefined;
      do {
        const page: { status: number; body: Page<Body> } = await as('viewer').post<Page<Body>>(
          'list-objects',
          {
            type: 'file',
            relation: 'viewer',
            subject: { type: 'user', id: 'anne' },
            limit: 1,
            ...(cursor ? { cursor } : {}),
          },
        );
        expect(page.status).toBe(200);
        objects.push(...page.body.items);
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);
      expect(objects).toEqual([
        { type: 'file', id: '/docs' },
        { type: 'file', id: '/docs/a.md' },
      ]);
      const subjects = await as('viewer').post<Page<Body>>('list-subjects', {
        object: { type: 'file', id: '/docs/a.md' },
        relation: 'viewer',
        subjectFilters: [{ type: 'user' }],
      });
      expect(subjects.body).toMatchObject({ items: [{ type: 'user', id: 'anne' }], nextCursor: null });
      const usersets = await as('viewer').post<Page<Body>>('list-subjects', {
        object: { type: 'file', id: '/docs' },
        relation: 'owner',
        subjectFilters: [{ type: 'agent' }],
      });
      expect(usersets.body.items).toEqual([{ type: 'agent', id: 'agent-editor' }]);
      const bad = [
        ['list-subjects', { object: { type: 'file', id: '/docs' }, relation: 'viewer', subjectFilters: [] }],
        ['list-objects', { type: 'file', relation: 'viewer' }],
        ['list-objects', { type: 'nosuchtype', relation: 'viewer', subject: { type: 'user', id: 'anne' } }],
        [
          'list-objects',
          { type: 'file', relation: 'viewer', subject: { type: 'user', id: 'anne' }, limit: 5000 },
        ],
      ] as const;
      for (const [path, body] of bad) expect((await as('viewer').post(path, body)).status).toBe(400);
    });
  });
});
