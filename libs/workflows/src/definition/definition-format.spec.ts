import { ValidationError } from '@nexus/core';
import { exportDefinition, importDefinition, lineAndColumn, MAX_DEFINITION_BYTES } from './definition-format';
import { jsonSyntaxError } from './json-syntax';
import { parseWorkflowDefinition } from './parse-definition';
import type { DefinitionContext, WorkflowDefinition } from './workflow-definition';

const context: DefinitionContext = { eventTypes: new Set(['file_write']), jobTypes: new Set(['ocr']) };

const full = parseWorkflowDefinition(
  {
    maxRunsPerMinute: 30,
    actions: [
      { continueOnError: true, tags: ['yes', 'null', '1.0', 'a: b'], type: 'add_tags' },
      { overwrite: true, to: '{{dir}}/archive/{{name}}', type: 'copy' },
      { type: 'set_metadata', values: { status: 'on', count: 2, ok: true, none: null, '#x': '- y' } },
      { type: 'write_file', path: '/logs/{{ execution.id }}.txt', content: 'line 1\nline 2: {{path}}\n' },
      { type: 'webhook', url: 'https://hooks.example.com/a?b=c', body: '{"p":"{{path}}"}' },
      {
        type: 'enqueue_job',
        jobType: 'ocr',
        payload: { path: '{{path}}', list: [1, 'two', { three: null }] },
      },
      { type: 'delete' },
    ],
    conditions: {
      all: [
        { path: { glob: '/docs/**' } },
        { not: { metadata: { equals: 'draft', key: 'status' } } },
        { any: [{ size: { max: 10, min: 1 } }, { extension: ['.MD'] }, { path: { regex: '\\.txt$' } }] },
      ],
    },
    trigger: {
      debounceMs: 500,
      actor: 'user:alice',
      globs: ['/docs/*'],
      eventTypes: ['file_write'],
      kind: 'event',
    },
    allowSelfTrigger: true,
    enabled: false,
    description: 'Quotes: "x" and \'y\' and # not a comment',
    name: 'Everything',
  },
  context,
);

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('accepted');
}

describe('exportDefinition', () => {
  it('writes JSON with 2-space indent, a trailing newline and a stable key order', () => {
    const json = exportDefinition(full, 'json');
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.startsWith('{\n  "name": "Everything",\n  "description"')).toBe(true);
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      'name',
      'description',
      'enabled',
      'trigger',
      'conditions',
      'actions',
      'allowSelfTrigger',
      'maxRunsPerMinute',
    ]);
    const parsed = JSON.parse(json) as WorkflowDefinition;
    expect(Object.keys(parsed.trigger)).toEqual(['kind', 'eventTypes', 'globs', 'actor', 'debounceMs']);
    expect(Object.keys(parsed.actions[0] ?? {})).toEqual(['type', 'tags', 'continueOnError']);
    expect(Object.keys(parsed.actions[1] ?? {})).toEqual(['type', 'to', 'overwrite']);
  });

  it('gives the same text whatever the key order of the stored definition', () => {
    // Keys of user data (set_metadata values, job payloads) keep their order; the rest is ordered.
    const shuffled = JSON.parse(JSON.stringify(full), (key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value) && key !== 'values' && key !== 'payload'
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    ) as WorkflowDefinition;
    for (const format of ['json', 'yaml'] as const) {
      expect(exportDefinition(shuffled, format)).toBe(exportDefinition(full, format));
    }
  });

  it('writes YAML starting with the name, with null description and no anchors', () => {
    const shared = { kind: 'manual' as const };
    const def: WorkflowDefinition = { ...full, description: null, trigger: shared, conditions: null };
    const yaml = exportDefinition(def, 'yaml');
    expect(
      yaml.startsWith('name: Everything\ndescription: null\nenabled: false\ntrigger:\n  kind: manual\n'),
    ).toBe(true);
    expect(yaml).not.toMatch(/[&*]a\d/);
  });
});

describe('round trip', () => {
  it.each(['json', 'yaml'] as const)('export → import → parse gives an equal definition (%s)', (format) => {
    const text = exportDefinition(full, format);
    const again = parseWorkflowDefinition(importDefinition(text, format), context);
    expect(again).toEqual(full);
    expect(exportDefinition(again, format)).toBe(text);
  });

  it.each(['json', 'yaml'] as const)('round-trips a schedule and a manual workflow (%s)', (format) => {
    for (const trigger of [{ kind: 'schedule', cron: '*/15 * * * *' }, { kind: 'manual' }]) {
      const def = parseWorkflowDefinition({ name: 'n', trigger, actions: [{ type: 'delete' }] }, context);
      expect(
        parseWorkflowDefinition(importDefinition(exportDefinition(def, format), format), context),
      ).toEqual(def);
    }
  });
});

describe('importDefinition', () => {
  it('parses JSON and YAML (and a BOM)', () => {
    expect(importDefinition('{"a": [1, "b", null]}', 'json')).toEqual({ a: [1, 'b', null] });
    expect(importDefinition('\uFEFF{"a": 1}', 'json')).toEqual({ a: 1 });
    expect(importDefinition('a:\n  - 1\n  - !!str 2\nb: ~\n', 'yaml')).toEqual({ a: [1, '2'], b: null });
    expect(importDefinition('', 'yaml')).toBeNull();
  });

  it.each([
    ['{"a": 1,\n  "b": }', 2, 8, /unexpected character "}"/],
    ['{"a": 1', 1, 8, /unexpected end of input/],
    ['{\n\n   "a" 1}', 3, 8, /expected ":"/],
    ['[1, 2,]', 1, 7, /unexpected character "]"/],
    ['{"a": tru}', 1, 10, /unexpected/],
    ['{"a": 1} x', 1, 10, /unexpected character "x"/],
    ['{"a": "\\q"}', 1, 9, /bad escape/],
    ['{a: 1}', 1, 2, /expected a property name/],
    ['', 1, 1, /unexpected end of input/],
  ])('names the line and column of a JSON error in %j', (text, line, column, reason) => {
    const error = refusal(() => importDefinition(text, 'json'));
    expect(error.details).toEqual({ field: 'body', line, column });
    expect(error.message).toMatch(new RegExp(`^body: invalid JSON at line ${line}, column ${column}: `));
    expect(error.message).toMatch(reason);
    expect(error.code).toBe('INVALID_WORKFLOW');
  });

  it.each([
    ['a: 1\nb: [1,\n', 3, /Flow sequence/],
    ['a: 1\n  b: 2\n', 1, /./],
    ['a: 1\na: 2\n', 2, /unique/],
    ['a: 1\n---\nb: 2\n', 2, /multiple documents/],
    ['a: "x\n', 2, /./],
  ])('names the line of a YAML error in %j', (text, line, reason) => {
    const error = refusal(() => importDefinition(text, 'yaml'));
    expect(error.details).toMatchObject({ field: 'body', line });
    expect(error.message).toMatch(new RegExp(`^body: invalid YAML at line ${line}, column \\d+: `));
    expect(error.message).toMatch(reason);
  });

  it.each([
    ['a: &x 1\nb: 2\n', 1, /anchors are not allowed \(&x\)/],
    ['a: 1\nb: &x [1]\nc: *x\n', 2, /anchors/],
    ['a: *x\n', 1, /./],
    ['a: !foo 1\n', 1, /./],
    ['a:\n  b: !!binary aGk=\n', 2, /tags are not allowed/],
    ['a: !!set { x }\n', 1, /./],
    ['a: !<tag:example.com,2000:app/x> 1\n', 1, /./],
  ])('refuses aliases, anchors and custom tags: %j', (text, line, reason) => {
    const error = refusal(() => importDefinition(text, 'yaml'));
    expect(error.details).toMatchObject({ field: 'body', line });
    expect(error.message).toMatch(reason);
  });

  it('refuses a billion laughs', () => {
    const text = ['a: &a [x, x]', 'b: &b [*a, *a]', 'c: &c [*b, *b]', 'd: [*c, *c]'].join('\n');
    expect(refusal(() => importDefinition(text, 'yaml')).details).toMatchObject({ field: 'body' });
  });

  it('treats << as a plain key (no merge keys)', () => {
    expect(importDefinition('<<: {a: 1}\n', 'yaml')).toEqual({ '<<': { a: 1 } });
  });

  it.each(['json', 'yaml'] as const)('refuses a %s document over 256 KiB', (format) => {
    const text = `{"name": "${'x'.repeat(MAX_DEFINITION_BYTES)}"}`;
    const error = refusal(() => importDefinition(text, format));
    expect(error.details).toEqual({ field: 'body', limit: MAX_DEFINITION_BYTES });
    expect(error.message).toMatch(/^body: /);
    const fits = `{"n": "${'x'.repeat(MAX_DEFINITION_BYTES - 20)}"}`;
    expect(importDefinition(fits, format)).toEqual({ n: 'x'.repeat(MAX_DEFINITION_BYTES - 20) });
  });

  it('counts bytes, not characters', () => {
    const text = `{"n": "${'é'.repeat(MAX_DEFINITION_BYTES / 2)}"}`;
    expect(refusal(() => importDefinition(text, 'json')).details).toMatchObject({ field: 'body' });
  });
});

describe('jsonSyntaxError and lineAndColumn', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of [
      '{}',
      '[]',
      ' 1 ',
      '"\\u00e9\\n"',
      '{"a":[true,false,null,-1.5e3,{"b":"c"}]}',
      '\n[\n]\n',
    ]) {
      expect(jsonSyntaxError(text)).toBeUndefined();
    }
    expect(jsonSyntaxError('"a\u0001"')).toEqual({ offset: 2, reason: 'control character in string' });
    expect(jsonSyntaxError('01')).toEqual({ offset: 1, reason: 'unexpected character "1"' });
  });

  it('counts lines across \\n, \\r\\n and \\r', () => {
    expect(lineAndColumn('ab\r\ncd\ref', 8)).toEqual({ line: 3, column: 2 });
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});
