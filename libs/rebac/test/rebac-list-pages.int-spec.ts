import { compareCodePoints } from '../src/code-point-order';
import type { RebacTestContext } from './rebac-test-db';
import { createRebacTestContext } from './rebac-test-db';
import { ancestry, file, grant, group, newZone, user } from './service-fixtures';

/**
 * list-objects answers a first page by checking the first objects of the type
 * (a probe) and later pages from the complete list: the pages must join up
 * exactly, in code point order, whichever way each was computed.
 */
describe('RebacService list-objects pages on PostgreSQL', () => {
  let context: RebacTestContext;
  const zoneId = newZone();
  // Names around the surrogate range, where UTF-16 order and code point order differ.
  const names = ['a', 'b', 'z', '\u00e9', '\uE000', '\uFFFD', '\u{1F600}', '\u{10000}'];
  const files = Array.from({ length: 240 }, (_v, i) => `/d/${names[i % names.length]}${i}`);
  // anne sees every file under /d through a group; bob only every seventh file.
  const sparse = files.filter((_f, i) => i % 7 === 3);

  beforeAll(async () => {
    context = await createRebacTestContext('nexus_rebac_list_pages');
    await context.tuples.write(zoneId, {
      writes: [
        ...ancestry('/d'),
        ...files.map((f) => grant(file(f), 'parent', { type: 'file', id: '/d' })),
        grant(file('/d'), 'viewer', group('readers')),
        grant({ type: 'group', id: 'readers' }, 'member', user('anne')),
        ...sparse.map((f) => grant(file(f), 'editor', user('bob'))),
      ],
    });
  });

  afterAll(async () => {
    await context?.close();
  });

  async function allPages(subject: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await context.rebac.listObjects(zoneId, {
        type: 'file',
        relation: 'viewer',
        subject: user(subject),
        limit,
        cursor,
      });
      pages++;
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { ids, pages };
  }

  it('joins a probed first page and the pages after it without gaps or repeats', async () => {
    const expected = ['/d', ...files].sort(compareCodePoints);
    for (const limit of [1, 10, 100, 1000]) {
      const { ids, pages } = await allPages('anne', limit);
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / limit));
    }
  });

  it('falls back to the complete list when the probe finds too few, and pages it the same way', async () => {
    const expected = [...sparse].sort(compareCodePoints);
    for (const limit of [5, 34, 35, 100]) {
      const { ids } = await allPages('bob', limit);
      expect(ids).toEqual(expected);
    }
  });

  it('answers an empty first page for a subject with no access', async () => {
    const page = await context.rebac.listObjects(zoneId, {
      type: 'file',
      relation: 'viewer',
      subject: user('nobody'),
      limit: 10,
    });
    expect(page.items).toEqual([]);
    expect(page.nextCursor).toBeNull();
  });

  it('reads the first page without reading the whole list: one probe, one batched check', async () => {
    const logQuery = jest.spyOn(context.dataSource.logger, 'logQuery');
    try {
      const fresh = await context.newProcess();
      await fresh.rebac.listObjects(zoneId, {
        type: 'file',
        relation: 'viewer',
        subject: user('x'),
        limit: 1,
      });
      logQuery.mockClear();
      const page = await fresh.rebac.listObjects(zoneId, {
        type: 'file',
        relation: 'viewer',
        subject: user('anne'),
        limit: 10,
      });
      expect(page.items).toHaveLength(10);
      const statements = logQuery.mock.calls.map(([sql]) => sql);
      expect(
        statements.some((sql) => sql.includes('FROM relation_tuples\nWHERE zone_id = $1 AND object_type')),
      ).toBe(true);
      // No reverse lookup by subject: that is the complete list's way.
      expect(statements.some((sql) => sql.includes('(subject_type, subject_id, subject_relation) IN'))).toBe(
        false,
      );
    } finally {
      logQuery.mockRestore();
    }
  });
});
