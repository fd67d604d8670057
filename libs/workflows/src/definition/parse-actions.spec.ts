import { ValidationError } from '@nexus/core';
import { parseAllowList } from '@nexus/subscriptions';
import { parseWorkflowDefinition } from './parse-definition';
import type { DefinitionContext, WorkflowAction } from './workflow-definition';
import { TEMPLATE_FIELDS, WORKFLOW_ACTION_TYPES } from './workflow-definition';

const context: DefinitionContext = {
  eventTypes: new Set(['file_write']),
  jobTypes: new Set(['thumbnail', 'ocr']),
};

function withActions(actions: unknown, ctx = context): WorkflowAction[] {
  return parseWorkflowDefinition({ name: 'w', trigger: { kind: 'manual' }, actions }, ctx).actions;
}

function refusal(actions: unknown, ctx = context): ValidationError {
  try {
    withActions(actions, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('accepted');
}

const ok = { type: 'delete' };

describe('actions', () => {
  it.each<[string, Record<string, unknown>]>([
    ['set_metadata', { type: 'set_metadata', values: { status: 'done', n: 1, flag: false, gone: null } }],
    ['add_tags', { type: 'add_tags', tags: ['a', 'b'] }],
    ['remove_tags', { type: 'remove_tags', tags: ['draft'], continueOnError: true }],
    ['copy', { type: 'copy', to: '/archive/{{ event.type }}/{{name}}' }],
    ['copy next to itself', { type: 'copy', to: '{{path}}.bak', overwrite: true }],
    ['move into dir', { type: 'move', to: '{{dir}}/done/{{name}}', overwrite: false }],
    ['move with dots in names', { type: 'move', to: '/a/..b/c../.x/./{{stem}}' }],
    ['delete', { type: 'delete', continueOnError: false }],
    [
      'write_file',
      { type: 'write_file', path: '/logs/{{execution.id}}.txt', content: '{{path}} by {{actor}} at {{now}}' },
    ],
    ['an empty write_file content', { type: 'write_file', path: '/x', content: '' }],
    ['webhook', { type: 'webhook', url: 'https://hooks.example.com/x', body: '{"path": "{{path}}"}' }],
    [
      'enqueue_job',
      {
        type: 'enqueue_job',
        jobType: 'ocr',
        payload: { path: '{{path}}', opts: [1, { lang: 'en' }, null, true] },
      },
    ],
    ['an empty payload', { type: 'enqueue_job', jobType: 'thumbnail', payload: {} }],
  ])('accepts %s', (_label, action) => {
    const [parsed] = withActions([action]);
    expect(parsed).toEqual(action);
    expect(withActions([parsed])).toEqual([parsed]);
  });

  it('accepts every template field, and 50 actions', () => {
    const content = TEMPLATE_FIELDS.map((field) => `{{${field}}}`).join(' ');
    expect(withActions([{ type: 'write_file', path: '/x', content }])[0]).toMatchObject({ content });
    expect(withActions(Array.from({ length: 50 }, () => ok))).toHaveLength(50);
  });

  it('normalises webhook URLs and follows the webhook URL policy', () => {
    expect(withActions([{ type: 'webhook', url: 'https://Hooks.Example.com' }])).toEqual([
      { type: 'webhook', url: 'https://hooks.example.com/' },
    ]);
    const local = {
      ...context,
      webhookUrlPolicy: { allowHttp: true, allowList: parseAllowList('127.0.0.1') },
    };
    expect(withActions([{ type: 'webhook', url: 'http://127.0.0.1:9000/hook' }], local)).toEqual([
      { type: 'webhook', url: 'http://127.0.0.1:9000/hook' },
    ]);
    expect(refusal([{ type: 'webhook', url: 'http://127.0.0.1:9000/hook' }]).details).toEqual({
      field: 'actions[0].url',
      rule: 'scheme',
    });
  });

  it('lists the action types, template fields and job types it knows', () => {
    expect(refusal([ok, { type: 'rename' }]).details).toEqual({
      field: 'actions[1].type',
      known: [...WORKFLOW_ACTION_TYPES],
    });
    expect(refusal([{ type: 'copy', to: '/x/{{filename}}' }]).details).toEqual({
      field: 'actions[0].to',
      templateField: 'filename',
      known: [...TEMPLATE_FIELDS],
    });
    expect(refusal([{ type: 'enqueue_job', jobType: 'mine', payload: {} }]).details).toEqual({
      field: 'actions[0].jobType',
      known: ['ocr', 'thumbnail'],
    });
  });

  const tooMany = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));

  it.each<[string, unknown, string, RegExp?]>([
    ['a string action', ['delete'], 'actions[0]', /object, not string/],
    ['a missing type', [ok, {}], 'actions[1].type', /is required/],
    [
      'an unknown type',
      [ok, ok, { type: 'rename' }],
      'actions[2].type',
      /must be one of set_metadata, add_tags/,
    ],
    ['a numeric type', [{ type: 1 }], 'actions[0].type', /not number/],
    ['an unknown field', [{ type: 'delete', force: true }], 'actions[0].force', /unknown property "force"/],
    [
      "another type's field",
      [{ type: 'copy', to: '/a', tags: ['x'] }],
      'actions[0].tags',
      /unknown property/,
    ],
    [
      'a string continueOnError',
      [{ type: 'delete', continueOnError: 'yes' }],
      'actions[0].continueOnError',
      /boolean/,
    ],
    ['set_metadata without values', [{ type: 'set_metadata' }], 'actions[0].values', /is required/],
    ['empty values', [{ type: 'set_metadata', values: {} }], 'actions[0].values', /must not be empty/],
    ['array values', [{ type: 'set_metadata', values: ['a'] }], 'actions[0].values', /object/],
    ['101 values', [{ type: 'set_metadata', values: tooMany }], 'actions[0].values', /at most 100 keys/],
    [
      'an object value',
      [{ type: 'set_metadata', values: { a: { b: 1 } } }],
      'actions[0].values.a',
      /string, finite number/,
    ],
    ['an array value', [{ type: 'set_metadata', values: { a: [1] } }], 'actions[0].values.a'],
    ['a blank key', [{ type: 'set_metadata', values: { ' ': 1 } }], 'actions[0].values. ', /key/],
    ['add_tags without tags', [{ type: 'add_tags' }], 'actions[0].tags', /is required/],
    ['no tags', [{ type: 'add_tags', tags: [] }], 'actions[0].tags', /must not be empty/],
    ['an empty tag', [{ type: 'remove_tags', tags: ['a', ''] }], 'actions[0].tags[1]', /must not be empty/],
    ['copy without to', [{ type: 'copy' }], 'actions[0].to', /is required/],
    ['a relative to', [{ type: 'copy', to: 'archive/{{name}}' }], 'actions[0].to', /absolute path/],
    ['a ../ to', [ok, ok, { type: 'move', to: '../x' }], 'actions[2].to', /absolute path/],
    ['a .. segment', [{ type: 'move', to: '/a/../../b' }], 'actions[0].to', /".." segment/],
    ['a trailing ..', [{ type: 'copy', to: '{{dir}}/..' }], 'actions[0].to', /".." segment/],
    ['.. around a placeholder', [{ type: 'copy', to: '/a/..{{name}}/x' }], 'actions[0].to', /".." segment/],
    ['a template-only relative to', [{ type: 'copy', to: '{{name}}' }], 'actions[0].to', /absolute path/],
    ['to from {{stem}}', [{ type: 'copy', to: '{{stem}}/x' }], 'actions[0].to', /absolute path/],
    ['a NUL', [{ type: 'copy', to: '/a\u0000b' }], 'actions[0].to', /NUL/],
    ['an empty to', [{ type: 'copy', to: '' }], 'actions[0].to', /empty/],
    ['a numeric to', [{ type: 'copy', to: 1 }], 'actions[0].to', /string/],
    [
      'an unclosed placeholder',
      [{ type: 'copy', to: '/a/{{name' }],
      'actions[0].to',
      /invalid template: unclosed/,
    ],
    [
      'an unknown template field',
      [{ type: 'move', to: '/a/{{ owner }}' }],
      'actions[0].to',
      /unknown template field "owner"/,
    ],
    ['a string overwrite', [{ type: 'copy', to: '/a', overwrite: 'no' }], 'actions[0].overwrite', /boolean/],
    ['write_file without content', [{ type: 'write_file', path: '/a' }], 'actions[0].content', /is required/],
    [
      'a relative write_file path',
      [{ type: 'write_file', path: 'a.txt', content: '' }],
      'actions[0].path',
      /absolute/,
    ],
    [
      'an escaping write_file path',
      [{ type: 'write_file', path: '/x/../../etc', content: '' }],
      'actions[0].path',
      /\.\./,
    ],
    [
      'a bad content template',
      [{ type: 'write_file', path: '/a', content: '{{nope}}' }],
      'actions[0].content',
      /"nope"/,
    ],
    ['a webhook without url', [{ type: 'webhook' }], 'actions[0].url', /is required/],
    ['a non-URL', [{ type: 'webhook', url: 'not a url' }], 'actions[0].url', /rule: invalid-url/],
    [
      'an http webhook',
      [{ type: 'webhook', url: 'http://hooks.example.com/' }],
      'actions[0].url',
      /rule: scheme/,
    ],
    [
      'a loopback webhook',
      [{ type: 'webhook', url: 'https://127.0.0.1/' }],
      'actions[0].url',
      /rule: loopback/,
    ],
    [
      'credentials in a webhook',
      [{ type: 'webhook', url: 'https://a:b@hooks.example.com/' }],
      'actions[0].url',
      /userinfo/,
    ],
    [
      'a bad webhook body',
      [{ type: 'webhook', url: 'https://h.example.com/', body: '{{ body' }],
      'actions[0].body',
      /unclosed/,
    ],
    [
      'enqueue_job without jobType',
      [{ type: 'enqueue_job', payload: {} }],
      'actions[0].jobType',
      /is required/,
    ],
    [
      'an unknown job type',
      [{ type: 'enqueue_job', jobType: 'x', payload: {} }],
      'actions[0].jobType',
      /not a job type/,
    ],
    [
      'enqueue_job without payload',
      [{ type: 'enqueue_job', jobType: 'ocr' }],
      'actions[0].payload',
      /is required/,
    ],
    [
      'an array payload',
      [{ type: 'enqueue_job', jobType: 'ocr', payload: [] }],
      'actions[0].payload',
      /object, not array/,
    ],
    [
      'a bad template deep in the payload',
      [{ type: 'enqueue_job', jobType: 'ocr', payload: { a: [{ b: 'ok {{path}}' }, { c: ['{{nope}}'] }] } }],
      'actions[0].payload.a[1].c[0]',
      /unknown template field "nope"/,
    ],
    [
      'a non-finite payload number',
      [{ type: 'enqueue_job', jobType: 'ocr', payload: { n: Infinity } }],
      'actions[0].payload.n',
    ],
    ['too many actions', Array.from({ length: 51 }, () => ok), 'actions', /at most 50/],
  ])('refuses %s', (...[, actions, field, message]) => {
    const error = refusal(actions);
    expect(error.code).toBe('INVALID_WORKFLOW');
    expect(error.details).toMatchObject({ field });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    if (message) expect(error.message).toMatch(message);
  });
});
