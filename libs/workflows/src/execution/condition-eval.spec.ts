import type { WorkflowCondition } from '../definition/workflow-definition';
import type { ConditionSubject, ConditionTrace } from './condition-eval';
import { conditionCacheSizes, evaluateCondition } from './condition-eval';

const file: ConditionSubject = {
  path: '/d/A.Final.PDF',
  size: 120,
  mimeType: 'application/pdf',
  version: 3,
  tags: ['urgent', 'finance'],
  metadata: { status: 'draft', pages: 12, signed: false, reviewer: null, nested: { a: 1 }, list: [1] },
  actor: 'user:alice',
};

function subject(overrides: Partial<ConditionSubject> = {}): ConditionSubject {
  return { ...file, ...overrides };
}

const bare = subject({
  path: null,
  size: null,
  mimeType: null,
  version: null,
  tags: [],
  metadata: {},
  actor: null,
});

type Row = [WorkflowCondition, boolean, string, (Partial<ConditionSubject> | 'bare')?];

// [condition, matched, detail, subject overrides ('bare': nothing known; default: `file`)]
const rows: Row[] = [
  [{ path: { glob: '/d/**' } }, true, '/d/A.Final.PDF matches /d/**'],
  [{ path: { glob: '/img/**' } }, false, '/d/A.Final.PDF does not match /img/**'],
  [{ path: { glob: '/**/*' } }, true, '/a/.env matches /**/*', { path: '/a/.env' }],
  [{ path: { glob: '/a\\*b' } }, true, '/a*b matches /a\\*b', { path: '/a*b' }],
  [{ path: { glob: '/**' } }, false, 'no path', 'bare'],
  [{ path: { regex: 'Final' } }, true, '/d/A.Final.PDF matches Final'],
  [{ path: { regex: '^/img/' } }, false, '/d/A.Final.PDF does not match ^/img/'],
  [{ path: { regex: '.*' } }, false, 'no path', 'bare'],
  [{ extension: ['pdf', 'md'] }, true, 'extension pdf in [pdf, md]'],
  [{ extension: ['md'] }, false, 'extension pdf not in [md]'],
  [{ extension: ['gz'] }, true, 'extension gz in [gz]', { path: '/a.tar.gz' }],
  [{ extension: ['d'] }, false, 'no extension, not in [d]', { path: '/x.d/Makefile' }],
  [{ extension: ['env'] }, false, 'no extension, not in [env]', { path: '/.env' }],
  [{ extension: ['.PDF'] }, true, 'extension pdf in [pdf]'],
  [{ extension: ['pdf'] }, false, 'no path', 'bare'],
  [{ mimeType: ['application/pdf'] }, true, 'MIME type application/pdf in [application/pdf]'],
  [{ mimeType: ['text/plain'] }, true, 'MIME type text/plain in [text/plain]', { mimeType: 'Text/Plain' }],
  [
    { mimeType: ['text/plain'] },
    true,
    'MIME type text/plain in [text/plain]',
    { mimeType: 'text/plain; q=1' },
  ],
  [{ mimeType: ['image/*'] }, true, 'MIME type image/png in [image/*]', { mimeType: 'image/png' }],
  [{ mimeType: ['image/*'] }, false, 'MIME type imagery/png not in [image/*]', { mimeType: 'imagery/png' }],
  [{ mimeType: ['text/plain'] }, false, 'MIME type application/pdf not in [text/plain]'],
  [{ mimeType: ['text/plain'] }, false, 'no MIME type', 'bare'],
  [{ size: { min: 0, max: 120 } }, true, 'size 120 in [0, 120]'],
  [{ size: { min: 0, max: 100 } }, false, 'size 120 not in [0, 100]'],
  [{ size: { min: 121 } }, false, 'size 120 not in [121, *]'],
  [{ size: { max: 120 } }, true, 'size 120 in [*, 120]'],
  [{ size: { min: 0 } }, false, 'no size, not in [0, *]', 'bare'],
  [{ size: { max: 0 } }, true, 'size 0 in [*, 0]', { size: 0 }],
  [{ version: { min: 3, max: 3 } }, true, 'version 3 in [3, 3]'],
  [{ version: { min: 4 } }, false, 'version 3 not in [4, *]'],
  [{ version: { max: 9 } }, false, 'no version, not in [*, 9]', 'bare'],
  [{ tags: { all: ['urgent', 'finance'] } }, true, 'tags has all of [urgent, finance]'],
  [{ tags: { all: ['urgent', 'legal'] } }, false, 'tags missing [legal]'],
  [{ tags: { any: ['legal', 'finance'] } }, true, 'tags has [finance]'],
  [{ tags: { any: ['legal'] } }, false, 'tags none of [legal]'],
  [{ tags: { all: ['urgent'], any: ['finance', 'x'] } }, true, 'tags has all of [urgent]; has [finance]'],
  [{ tags: { all: ['urgent'], any: ['x'] } }, false, 'tags has all of [urgent]; none of [x]'],
  [{ tags: { all: ['x'], any: ['urgent'] } }, false, 'tags missing [x]; has [urgent]'],
  [{ tags: { any: ['urgent'] } }, false, 'tags none of [urgent]', 'bare'],
  [{ tags: { any: ['Urgent'] } }, false, 'tags none of [Urgent]'],
  [{ metadata: { key: 'status', exists: true } }, true, 'metadata "status" present'],
  [{ metadata: { key: 'reviewer', exists: true } }, true, 'metadata "reviewer" present'],
  [{ metadata: { key: 'owner', exists: true } }, false, 'metadata "owner" absent'],
  [{ metadata: { key: 'owner', exists: false } }, true, 'metadata "owner" absent'],
  [{ metadata: { key: 'status', exists: false } }, false, 'metadata "status" present'],
  [{ metadata: { key: 'toString', exists: true } }, false, 'metadata "toString" absent'],
  [{ metadata: { key: 'status', equals: 'draft' } }, true, 'metadata "status" is "draft", equals "draft"'],
  [{ metadata: { key: 'status', equals: 'final' } }, false, 'metadata "status" is "draft", not "final"'],
  [{ metadata: { key: 'pages', equals: 12 } }, true, 'metadata "pages" is 12, equals 12'],
  [{ metadata: { key: 'pages', equals: '12' } }, false, 'metadata "pages" is 12, not "12"'],
  [{ metadata: { key: 'signed', equals: false } }, true, 'metadata "signed" is false, equals false'],
  [{ metadata: { key: 'reviewer', equals: null } }, true, 'metadata "reviewer" is null, equals null'],
  [{ metadata: { key: 'owner', equals: null } }, false, 'metadata "owner" absent, not null'],
  [{ metadata: { key: 'nested', equals: 1 } }, false, 'metadata "nested" is an object, not 1'],
  [{ metadata: { key: 'list', equals: 1 } }, false, 'metadata "list" is an array, not 1'],
  [{ actor: ['user:bob', 'user:alice'] }, true, 'actor user:alice in [user:bob, user:alice]'],
  [{ actor: ['user:bob'] }, false, 'actor user:alice not in [user:bob]'],
  [{ actor: ['user:bob'] }, false, 'no actor', 'bare'],
];

describe('evaluateCondition: predicates', () => {
  // A rest parameter: jest would take a fourth declared parameter of a 3-element row for `done`.
  it.each(rows)('%j → %s, %s', (...row: Row) => {
    const [condition, matched, detail, overrides] = row;
    const of = overrides === 'bare' ? bare : subject(overrides);
    const [key = ''] = Object.keys(condition);
    const node = 'path' in condition ? `path.${Object.keys(condition.path)[0]}` : key;
    expect(evaluateCondition(condition, of)).toEqual({ matched, node, detail });
  });

  it('matches everything without a condition', () => {
    expect(evaluateCondition(null, file)).toEqual({ matched: true, node: 'always' });
    expect(evaluateCondition(null, bare)).toEqual({ matched: true, node: 'always' });
  });

  it('does not match (nor throw on) a node of unknown shape', () => {
    const odd = { colour: ['red'] } as unknown as WorkflowCondition;
    expect(evaluateCondition(odd, file)).toEqual({
      matched: false,
      node: 'unknown',
      detail: 'unknown condition (colour)',
    });
  });
});

describe('evaluateCondition: combinators', () => {
  const pdf: WorkflowCondition = { extension: ['pdf'] };
  const small: WorkflowCondition = { size: { max: 100 } };
  const urgent: WorkflowCondition = { tags: { any: ['urgent'] } };

  it.each<[string, WorkflowCondition, boolean, string]>([
    ['all, every child', { all: [pdf, urgent] }, true, '2 of 2 matched'],
    ['all, one fails', { all: [pdf, small, urgent] }, false, '2 of 3 matched'],
    ['any, one holds', { any: [small, pdf] }, true, '1 of 2 matched'],
    ['any, none hold', { any: [small, { actor: ['user:bob'] }] }, false, '0 of 2 matched'],
    ['not, child fails', { not: small }, true, 'child did not match'],
    ['not, child holds', { not: pdf }, false, 'child matched'],
  ])('%s', (_name, condition, matched, detail) => {
    const trace = evaluateCondition(condition, file);
    expect(trace).toMatchObject({ matched, node: Object.keys(condition)[0], detail });
  });

  it('evaluates every child of all and any, so the trace is complete', () => {
    const trace = evaluateCondition({ all: [small, pdf, urgent] }, file);
    expect(trace.children?.map((child) => [child.node, child.matched])).toEqual([
      ['size', false],
      ['extension', true],
      ['tags', true],
    ]);
    const any = evaluateCondition({ any: [pdf, small] }, file);
    expect(any.children).toHaveLength(2);
    expect(any.children?.[1]).toEqual({ matched: false, node: 'size', detail: 'size 120 not in [*, 100]' });
  });

  it('traces a nested tree node by node', () => {
    const condition: WorkflowCondition = {
      all: [
        { path: { glob: '/d/**' } },
        { any: [{ mimeType: ['image/*'] }, { not: { metadata: { key: 'status', equals: 'final' } } }] },
      ],
    };
    const expected: ConditionTrace = {
      matched: true,
      node: 'all',
      detail: '2 of 2 matched',
      children: [
        { matched: true, node: 'path.glob', detail: '/d/A.Final.PDF matches /d/**' },
        {
          matched: true,
          node: 'any',
          detail: '1 of 2 matched',
          children: [
            { matched: false, node: 'mimeType', detail: 'MIME type application/pdf not in [image/*]' },
            {
              matched: true,
              node: 'not',
              detail: 'child did not match',
              children: [
                { matched: false, node: 'metadata', detail: 'metadata "status" is "draft", not "final"' },
              ],
            },
          ],
        },
      ],
    };
    expect(evaluateCondition(condition, file)).toEqual(expected);
    expect(evaluateCondition({ not: { not: condition } }, file).matched).toBe(true);
    expect(evaluateCondition(condition, bare).matched).toBe(false);
  });

  it('treats empty lists as all: true, any: false', () => {
    expect(evaluateCondition({ all: [] }, file)).toEqual({
      matched: true,
      node: 'all',
      detail: '0 of 0 matched',
      children: [],
    });
    expect(evaluateCondition({ any: [] }, file).matched).toBe(false);
  });
});

describe('evaluateCondition: compiled caches', () => {
  it('gives the same results when a glob or regex is reused', () => {
    const glob: WorkflowCondition = { path: { glob: '/cache-test/**/*.{md,txt}' } };
    const regex: WorkflowCondition = { path: { regex: '^/cache-test/[a-z]+\\.md$' } };
    const before = conditionCacheSizes();
    const paths = ['/cache-test/a.md', '/cache-test/x/b.txt', '/other/a.md', '/cache-test/A.md'];
    const first = paths.map((path) => [glob, regex].map((c) => evaluateCondition(c, subject({ path }))));
    const after = conditionCacheSizes();
    expect(after).toEqual({ globs: before.globs + 1, regexes: before.regexes + 1 });
    const second = paths.map((path) => [glob, regex].map((c) => evaluateCondition(c, subject({ path }))));
    expect(second).toEqual(first);
    expect(conditionCacheSizes()).toEqual(after);
    expect(first.map((row) => row.map((trace) => trace.matched))).toEqual([
      [true, true],
      [true, false],
      [false, false],
      [true, false],
    ]);
  });

  it('reports an invalid regex as a non-match instead of throwing', () => {
    const trace = evaluateCondition({ path: { regex: '(unclosed' } }, file);
    expect(trace).toMatchObject({ matched: false, node: 'path.regex' });
    expect(trace.detail).toMatch(/^invalid regex \(unclosed: /);
  });
});
