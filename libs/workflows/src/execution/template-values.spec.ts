import { renderTemplate, TemplateError } from '../definition/template';
import { TEMPLATE_FIELDS } from '../definition/workflow-definition';
import type { TemplateValuesInput } from './template-values';
import { pathParts, templateValues } from './template-values';

const now = new Date('2026-03-01T12:00:00.000Z');

function input(
  payload: Record<string, unknown>,
  overrides: Partial<TemplateValuesInput> = {},
): TemplateValuesInput {
  return {
    event: {
      id: 'evt-1',
      type: 'file_write',
      occurredAt: '2026-03-01T11:59:59.000Z',
      actor: { type: 'user', id: 'alice' },
      payload,
    },
    workflow: { id: 'wf-1', name: 'Archive PDFs' },
    executionId: 'exe-1',
    now,
    ...overrides,
  };
}

describe('templateValues', () => {
  it('gives every field for a nested file', () => {
    const values = templateValues(
      input({
        path: '/docs/2026/Report.Final.PDF',
        version: 4,
        size: 2048,
        etag: '"abc"',
        mimeType: 'application/pdf',
      }),
    );
    expect(values).toEqual({
      path: '/docs/2026/Report.Final.PDF',
      dir: '/docs/2026',
      name: 'Report.Final.PDF',
      stem: 'Report.Final',
      extension: 'PDF',
      version: '4',
      size: '2048',
      etag: '"abc"',
      mimeType: 'application/pdf',
      'event.id': 'evt-1',
      'event.type': 'file_write',
      'event.occurredAt': '2026-03-01T11:59:59.000Z',
      actor: 'user:alice',
      'workflow.id': 'wf-1',
      'workflow.name': 'Archive PDFs',
      'execution.id': 'exe-1',
      now: '2026-03-01T12:00:00.000Z',
    });
    expect(Object.keys(values).every((key) => (TEMPLATE_FIELDS as readonly string[]).includes(key))).toBe(
      true,
    );
  });

  it('covers every TEMPLATE_FIELDS key when everything is known', () => {
    const values = templateValues(
      input({ path: '/a/b.txt', from: '/a/old.txt', version: 1, size: 2, etag: 'e', mimeType: 'text/plain' }),
    );
    expect(Object.keys(values).sort()).toEqual([...TEMPLATE_FIELDS].sort());
  });

  it.each([
    ['/a.md', { dir: '/', name: 'a.md', stem: 'a', extension: 'md' }],
    ['/x/y/z.txt', { dir: '/x/y', name: 'z.txt', stem: 'z', extension: 'txt' }],
    ['/.env', { dir: '/', name: '.env', stem: '.env' }],
    ['/cfg/.env.local', { dir: '/cfg', name: '.env.local', stem: '.env', extension: 'local' }],
    ['/a/archive.tar.gz', { dir: '/a', name: 'archive.tar.gz', stem: 'archive.tar', extension: 'gz' }],
    ['/src/Makefile', { dir: '/src', name: 'Makefile', stem: 'Makefile' }],
    ['/a/trailing.', { dir: '/a', name: 'trailing.', stem: 'trailing.' }],
    ['/v1.2/README', { dir: '/v1.2', name: 'README', stem: 'README' }],
    ['/photos/', { dir: '/', name: 'photos', stem: 'photos' }],
  ])('splits %s', (path, expected) => {
    const values = templateValues(input({ path }));
    const { dir, name, stem, extension } = values;
    expect(JSON.parse(JSON.stringify({ dir, name, stem, extension }))).toEqual(expected);
    expect(values.path).toBe(path);
    expect('extension' in values).toBe('extension' in expected);
  });

  it('gives a rename its source as fromPath', () => {
    const values = templateValues(
      input(
        { path: '/docs/new.md', from: '/drafts/old.md' },
        {
          event: {
            id: 'e2',
            type: 'file_move',
            occurredAt: 't',
            actor: null,
            payload: { path: '/docs/new.md', from: '/drafts/old.md' },
          },
        },
      ),
    );
    expect(values).toMatchObject({
      path: '/docs/new.md',
      fromPath: '/drafts/old.md',
      name: 'new.md',
      'event.type': 'file_move',
    });
    expect(renderTemplate('{{fromPath}} -> {{path}}', values)).toBe('/drafts/old.md -> /docs/new.md');
  });

  it('prefers the file values to the payload, falling back on null', () => {
    const payload = {
      path: '/a.bin',
      version: 1,
      size: 10,
      etag: 'old',
      mimeType: 'application/octet-stream',
    };
    expect(
      templateValues(input(payload, { file: { size: 99, mimeType: 'image/png', etag: 'new', version: 2 } })),
    ).toMatchObject({ version: '2', size: '99', etag: 'new', mimeType: 'image/png' });
    expect(
      templateValues(input(payload, { file: { size: null, mimeType: null, etag: null, version: null } })),
    ).toMatchObject({
      version: '1',
      size: '10',
      etag: 'old',
      mimeType: 'application/octet-stream',
    });
    expect(templateValues(input({ path: '/empty' }, { file: { size: 0, version: 0 } }))).toMatchObject({
      size: '0',
      version: '0',
    });
  });

  it('omits what is unknown, so rendering names the missing field', () => {
    const values = templateValues(
      input(
        { size: 'big?', version: Number.NaN, etag: 7, path: '' },
        {
          event: {
            id: 'e3',
            type: 'schedule_tick',
            occurredAt: 't',
            actor: null,
            payload: { size: {}, version: Number.NaN, etag: 7, path: '' },
          },
        },
      ),
    );
    expect(Object.keys(values).sort()).toEqual(
      [
        'event.id',
        'event.type',
        'event.occurredAt',
        'workflow.id',
        'workflow.name',
        'execution.id',
        'now',
      ].sort(),
    );
    for (const field of [
      'path',
      'dir',
      'name',
      'stem',
      'extension',
      'fromPath',
      'version',
      'size',
      'etag',
      'mimeType',
      'actor',
    ]) {
      expect(() => renderTemplate(`/x/{{${field}}}`, values)).toThrow(TemplateError);
      expect(() => renderTemplate(`/x/{{${field}}}`, values)).toThrow(
        `no value for template field "${field}"`,
      );
    }
    expect(renderTemplate('{{event.type}}@{{now}}', values)).toBe('schedule_tick@2026-03-01T12:00:00.000Z');
  });

  it('omits the extension of a file without one, and dir of the root', () => {
    expect(() => renderTemplate('{{stem}}.{{extension}}', templateValues(input({ path: '/.env' })))).toThrow(
      'no value for template field "extension"',
    );
    expect(templateValues(input({ path: '/' }))).not.toHaveProperty('dir');
    expect(templateValues(input({ path: '/' }))).not.toHaveProperty('name');
    expect(templateValues(input({ path: '/' })).path).toBe('/');
  });

  it('renders a typical move target', () => {
    const values = templateValues(input({ path: '/inbox/scan.JPG' }));
    expect(renderTemplate('/archive/{{actor}}/{{stem}}-{{execution.id}}.{{extension}}', values)).toBe(
      '/archive/user:alice/scan-exe-1.JPG',
    );
  });
});

describe('pathParts', () => {
  it.each([
    ['/', { name: '', stem: '' }],
    ['plain.txt', { name: 'plain.txt', stem: 'plain', extension: 'txt' }],
    ['rel/dir/..hidden', { dir: 'rel/dir', name: '..hidden', stem: '.', extension: 'hidden' }],
  ])('%s', (path, expected) => {
    expect(pathParts(path)).toEqual(expected);
  });
});
