import { DomainError } from '@nexus/core';
import { DOCS_MODEL, memoryEngine, subject } from '../../test/engine-fixtures';
import { MAX_RESOLUTION_DEPTH } from './check-evaluator';
import { Outcome } from './outcome';

async function codeOf(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
  } catch (error) {
    return error instanceof DomainError ? error.code : `NOT_A_DOMAIN_ERROR: ${String(error)}`;
  }
  return undefined;
}

const docs = (tuples: string[]) => memoryEngine(DOCS_MODEL, tuples);

describe('check evaluation', () => {
  it('allows a direct tuple and denies everything else', async () => {
    const { check } = docs(['document:1#owner@user:anne']);
    expect(await check('document:1', 'owner', 'user:anne')).toBe(true);
    expect(await check('document:1', 'owner', 'user:bob')).toBe(false);
    expect(await check('document:2', 'owner', 'user:anne')).toBe(false);
    expect(await check('document:1', 'blocked', 'user:anne')).toBe(false);
  });

  it('follows computed usersets: owner ⊂ editor ⊂ viewer', async () => {
    const { check } = docs(['document:1#owner@user:anne']);
    expect(await check('document:1', 'editor', 'user:anne')).toBe(true);
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(true);
  });

  it('follows tuple-to-userset to every parent', async () => {
    const { check } = docs([
      'document:1#parent@folder:a',
      'document:1#parent@folder:b',
      'folder:b#owner@user:anne',
    ]);
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(true);
    expect(await check('document:1', 'editor', 'user:anne')).toBe(false);
  });

  it('grants through wildcards to plain subjects only', async () => {
    const { check } = docs(['document:1#viewer@user:*', 'group:eng#member@user:anne']);
    expect(await check('document:1', 'viewer', 'user:anyone')).toBe(true);
    expect(await check('document:1', 'viewer', 'user:*')).toBe(true);
    expect(await check('document:1', 'viewer', 'group:eng#member')).toBe(false);
    expect(await check('document:1', 'editor', 'user:anyone')).toBe(false);
  });

  it('resolves usersets and groups nested three deep', async () => {
    const { check } = docs([
      'document:1#editor@group:top#member',
      'group:top#member@group:mid#member',
      'group:mid#member@group:leaf#member',
      'group:leaf#member@user:anne',
    ]);
    expect(await check('document:1', 'editor', 'user:anne')).toBe(true);
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(true);
    expect(await check('document:1', 'editor', 'group:mid#member')).toBe(true);
    expect(await check('document:1', 'editor', 'user:bob')).toBe(false);
  });

  it('treats a userset as holding its own relation', async () => {
    const { check } = docs([]);
    expect(await check('group:eng', 'member', 'group:eng#member')).toBe(true);
    expect(await check('group:eng', 'member', 'group:ops#member')).toBe(false);
  });

  it('excludes blocked subjects even when they own the document', async () => {
    const { check } = docs([
      'document:1#owner@user:anne',
      'document:1#blocked@user:anne',
      'document:1#viewer@user:*',
      'document:1#blocked@user:eve',
    ]);
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(false);
    expect(await check('document:1', 'editor', 'user:anne')).toBe(true);
    expect(await check('document:1', 'viewer', 'user:eve')).toBe(false);
    expect(await check('document:1', 'viewer', 'user:bob')).toBe(true);
  });

  it('needs both sides of an intersection', async () => {
    const { check } = docs([
      'document:1#editor@user:anne',
      'document:1#active@user:anne',
      'document:1#editor@user:bob',
      'document:1#active@user:carl',
    ]);
    expect(await check('document:1', 'reviewer', 'user:anne')).toBe(true);
    expect(await check('document:1', 'reviewer', 'user:bob')).toBe(false);
    expect(await check('document:1', 'reviewer', 'user:carl')).toBe(false);
  });

  it('evaluates cycles to false, without error, and still finds a real path around them', async () => {
    const { check } = docs([
      'group:a#member@group:b#member',
      'group:b#member@group:a#member',
      'group:b#member@user:anne',
    ]);
    expect(await check('group:a', 'member', 'user:bob')).toBe(false);
    expect(await check('group:a', 'member', 'user:anne')).toBe(true);
    const self = docs(['group:a#member@group:a#member']);
    expect(await self.check('group:a', 'member', 'user:anne')).toBe(false);
  });

  it('treats a cycle under an exclusion as unknown: not allowed', async () => {
    const { check } = memoryEngine(
      'model\n  schema 1.1\ntype user\ntype document\n  relations\n    define restricted: [user, document#viewer]\n    define viewer: [user] but not restricted\n',
      ['document:1#viewer@user:jon', 'document:1#restricted@document:1#viewer'],
    );
    expect(await check('document:1', 'viewer', 'user:jon')).toBe(false);
  });

  it(`allows ${MAX_RESOLUTION_DEPTH} nested resolutions and fails with RESOLUTION_TOO_COMPLEX beyond, never false`, async () => {
    const chain = (length: number) => [
      'group:g0#member@user:anne',
      ...Array.from({ length }, (_, i) => `group:g${i + 1}#member@group:g${i}#member`),
    ];
    const ok = docs(chain(MAX_RESOLUTION_DEPTH));
    expect(await ok.check(`group:g${MAX_RESOLUTION_DEPTH}`, 'member', 'user:anne')).toBe(true);
    const deep = docs(chain(MAX_RESOLUTION_DEPTH + 1));
    expect(await codeOf(() => deep.check(`group:g${MAX_RESOLUTION_DEPTH + 1}`, 'member', 'user:anne'))).toBe(
      'RESOLUTION_TOO_COMPLEX',
    );
    // A definite answer on a shorter branch still wins.
    const shortcut = docs([
      ...chain(MAX_RESOLUTION_DEPTH + 1),
      `group:g${MAX_RESOLUTION_DEPTH + 1}#member@user:anne`,
    ]);
    expect(await shortcut.check(`group:g${MAX_RESOLUTION_DEPTH + 1}`, 'member', 'user:anne')).toBe(true);
  });

  it('ignores stored tuples the current model no longer allows', async () => {
    const { check } = docs([
      'document:1#owner@group:eng#member',
      'group:eng#member@user:anne',
      'folder:x#owner@user:*',
    ]);
    expect(await check('document:1', 'owner', 'user:anne')).toBe(false);
    expect(await check('folder:x', 'owner', 'user:anne')).toBe(false);
  });

  it('evaluates contextual tuples without storing them, and validates them', async () => {
    const { check, loader } = docs([]);
    expect(await check('document:1', 'viewer', 'user:anne', ['document:1#editor@user:anne'])).toBe(true);
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(false);
    expect(
      await codeOf(() => check('document:1', 'viewer', 'user:anne', ['document:1#parent@user:anne'])),
    ).toBe('INVALID_TUPLE');
    expect(
      await codeOf(() => check('document:1', 'viewer', 'user:anne', ['document:1#nope@user:anne'])),
    ).toBe('INVALID_TUPLE');
    const many = Array.from({ length: 101 }, (_, i) => `document:${i}#owner@user:anne`);
    expect(await codeOf(() => check('document:1', 'viewer', 'user:anne', many))).toBe('TOO_MANY_ITEMS');
    expect(loader.loads).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown object type', 'team:1', 'viewer', 'user:anne'],
    ['an unknown relation', 'document:1', 'admin', 'user:anne'],
    ['an unknown subject type', 'document:1', 'viewer', 'robot:r2'],
    ['an unknown userset relation', 'document:1', 'viewer', 'group:eng#owner'],
  ])('refuses %s with VALIDATION_FAILED', async (_label, object, relation, user) => {
    const { check } = docs([]);
    expect(await codeOf(() => check(object, relation, user))).toBe('VALIDATION_FAILED');
  });

  it('reads a whole level of parents in one load, not one per tuple', async () => {
    const parents = Array.from({ length: 50 }, (_, i) => `document:1#parent@folder:f${i}`);
    const { check, loader } = docs([...parents, 'folder:f49#owner@user:anne']);
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(true);
    expect(loader.loads).toBeLessThanOrEqual(4);
  });

  it('memoises within a request: many documents under one folder share its evaluation', async () => {
    const docsUnder = Array.from({ length: 100 }, (_, i) => `document:d${i}#parent@folder:shared`);
    const { engine, loader } = docs([
      ...docsUnder,
      'folder:shared#viewer@group:eng#member',
      'group:eng#member@user:anne',
    ]);
    const outcomes = await engine.checkMany(
      Array.from({ length: 100 }, (_, i) => ({
        object: { type: 'document', id: `d${i}` },
        relation: 'viewer',
        subject: subject('user:anne'),
      })),
    );
    expect(outcomes.every((o) => o === Outcome.TRUE)).toBe(true);
    expect(loader.loads).toBeLessThanOrEqual(4);
  });

  it('keeps the answers of a batch independent', async () => {
    const { engine } = docs([
      'document:1#owner@user:anne',
      'document:2#blocked@user:anne',
      'document:2#viewer@user:anne',
    ]);
    const outcomes = await engine.checkMany([
      { object: { type: 'document', id: '1' }, relation: 'viewer', subject: subject('user:anne') },
      { object: { type: 'document', id: '2' }, relation: 'viewer', subject: subject('user:anne') },
      { object: { type: 'document', id: '1' }, relation: 'viewer', subject: subject('user:bob') },
    ]);
    expect(outcomes).toEqual([Outcome.TRUE, Outcome.FALSE, Outcome.FALSE]);
  });

  it('reads stored tuples only for the subjects being checked (plus usersets and tuplesets)', async () => {
    const { check, loader } = docs(['document:1#viewer@user:bob']);
    const load = jest.spyOn(loader, 'load');
    expect(await check('document:1', 'viewer', 'user:anne')).toBe(false);
    expect(load.mock.calls[0]?.[0].subjects).toEqual([{ type: 'user', id: 'anne', relation: '' }]);
  });
});
