import { DOCS_MODEL, memoryEngine, subject } from '../../test/engine-fixtures';
import { treeContains } from './expand';
import { Outcome } from './outcome';
import { toTupleSubject } from '../tuple/tuple.types';

const TUPLES = [
  'document:1#parent@folder:a',
  'document:2#parent@folder:a',
  'document:3#parent@folder:b',
  'folder:a#viewer@group:eng#member',
  'group:eng#member@user:anne',
  'document:3#editor@user:anne',
  'document:2#blocked@user:anne',
  'document:4#viewer@user:*',
  'document:5#owner@user:bob',
];

describe('list objects, list subjects, expand and explain (in memory)', () => {
  it('lists every object the subject can reach, minus exclusions, sorted', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, TUPLES);
    expect(
      await engine.listObjects({ type: 'document', relation: 'viewer', subject: subject('user:anne') }),
    ).toEqual(['1', '3', '4']);
    expect(
      await engine.listObjects({ type: 'document', relation: 'editor', subject: subject('user:anne') }),
    ).toEqual(['3']);
    expect(
      await engine.listObjects({ type: 'document', relation: 'viewer', subject: subject('user:zed') }),
    ).toEqual(['4']);
    expect(
      await engine.listObjects({ type: 'folder', relation: 'viewer', subject: subject('group:eng#member') }),
    ).toEqual(['a']);
  });

  it('lists subjects by filter: plain objects with wildcards, or usersets', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, TUPLES);
    const users = await engine.listSubjects({
      object: { type: 'document', id: '1' },
      relation: 'viewer',
      filters: [{ type: 'user' }],
    });
    expect(users).toEqual([{ type: 'user', id: 'anne' }]);
    const groups = await engine.listSubjects({
      object: { type: 'document', id: '1' },
      relation: 'viewer',
      filters: [{ type: 'group', relation: 'member' }],
    });
    expect(groups).toEqual([{ type: 'group', id: 'eng', relation: 'member' }]);
    expect(
      await engine.listSubjects({
        object: { type: 'document', id: '2' },
        relation: 'viewer',
        filters: [{ type: 'user' }],
      }),
    ).toEqual([]);
    expect(
      await engine.listSubjects({
        object: { type: 'document', id: '4' },
        relation: 'viewer',
        filters: [{ type: 'user' }],
      }),
    ).toEqual([{ type: 'user', id: '*' }]);
  });

  it('names unknown types and relations in list requests', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, TUPLES);
    await expect(
      engine.listObjects({ type: 'team', relation: 'viewer', subject: subject('user:a') }),
    ).rejects.toMatchObject({ code: 'TYPE_NOT_FOUND' });
    await expect(
      engine.listObjects({ type: 'document', relation: 'nope', subject: subject('user:a') }),
    ).rejects.toMatchObject({ code: 'RELATION_NOT_FOUND' });
    await expect(
      engine.listSubjects({
        object: { type: 'document', id: '1' },
        relation: 'viewer',
        filters: [{ type: 'robot' }],
      }),
    ).rejects.toMatchObject({ code: 'TYPE_NOT_FOUND' });
    await expect(
      engine.listSubjects({
        object: { type: 'document', id: '1' },
        relation: 'viewer',
        filters: [{ type: 'group', relation: 'owner' }],
      }),
    ).rejects.toMatchObject({ code: 'RELATION_NOT_FOUND' });
  });

  it('expands the userset tree down to plain subjects', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, TUPLES);
    const tree = await engine.expand({ type: 'document', id: '1' }, 'viewer');
    expect(tree.tree.kind).toBe('difference');
    expect(JSON.stringify(tree)).toContain('"id":"anne"');
    expect(treeContains(tree, toTupleSubject(subject('user:anne')))).toBe(Outcome.TRUE);
    expect(treeContains(tree, toTupleSubject(subject('user:bob')))).toBe(Outcome.FALSE);
    const blocked = await engine.expand({ type: 'document', id: '2' }, 'viewer');
    expect(treeContains(blocked, toTupleSubject(subject('user:anne')))).toBe(Outcome.FALSE);
  });

  it('marks cycles in expanded trees', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, [
      'group:a#member@group:b#member',
      'group:b#member@group:a#member',
    ]);
    const tree = await engine.expand({ type: 'group', id: 'a' }, 'member');
    expect(JSON.stringify(tree)).toContain('"kind":"cycle"');
  });

  it('explains a grant as the one path that grants', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, TUPLES);
    const explanation = await engine.explain({
      object: { type: 'document', id: '1' },
      relation: 'viewer',
      subject: subject('user:anne'),
    });
    expect(explanation.allowed).toBe(true);
    expect(explanation.reason).toBe('granted');
    const text = JSON.stringify(explanation.trace);
    expect(text).toContain('viewer from parent');
    expect(text).toContain('group:eng#member');
    expect(text).toContain('"tuple":"user:anne"');
    // Failed alternatives of the union are pruned; the exclusion that did not apply stays.
    expect(text).not.toContain('"object":"document:1","relation":"viewer","result":"denied"');
    expect(text).toContain('"relation":"blocked","result":"denied"');
  });

  it('explains a denial with every branch that failed, including the exclusion', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, TUPLES);
    const denied = await engine.explain({
      object: { type: 'document', id: '2' },
      relation: 'viewer',
      subject: subject('user:anne'),
    });
    expect(denied).toMatchObject({ allowed: false, reason: 'no_path' });
    expect(denied.trace.children[0]?.step).toBe('difference');
    const nothing = await engine.explain({
      object: { type: 'document', id: '5' },
      relation: 'viewer',
      subject: subject('user:zed'),
    });
    expect(nothing.allowed).toBe(false);
    expect(JSON.stringify(nothing.trace)).toContain('"result":"denied"');
  });

  it('explains a cycle as such', async () => {
    const { engine } = memoryEngine(DOCS_MODEL, ['group:a#member@group:a#member']);
    const explanation = await engine.explain({
      object: { type: 'group', id: 'a' },
      relation: 'member',
      subject: subject('user:x'),
    });
    expect(explanation).toMatchObject({ allowed: false, reason: 'cycle' });
  });
});
