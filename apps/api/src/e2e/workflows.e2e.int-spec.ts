import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { Client } from 'pg';
import { createKey, newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest, Body } from './support/api-under-test';

interface Workflow {
  id: string;
  name: string;
  enabled: boolean;
  owner: string;
  trigger: Record<string, unknown>;
  actions: Array<Record<string, unknown>>;
  conditions: Record<string, unknown> | null;
  allowSelfTrigger: boolean;
  maxRunsPerMinute: number;
  created?: boolean;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: { field?: string };
}

const inbox = {
  name: 'archive inbox notes',
  description: 'Tag, archive and announce new notes',
  trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/inbox/*.md'] },
  conditions: { all: [{ extension: ['md'] }, { not: { size: { max: 0 } } }] },
  actions: [
    { type: 'add_tags', tags: ['inbox'] },
    { type: 'copy', to: '/archive/{{name}}' },
    { type: 'webhook', url: 'https://hooks.example.com/notes', continueOnError: true },
  ],
};

/** The definitions API against the real app: validation naming the field, ownership, export → import. */
describe('workflows API (real API, PostgreSQL)', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  let admin: string;
  let editor: string;
  let otherEditor: string;
  let viewer: string;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_workflows');
    admin = newAdminKey();
    api = await startApi(database.url, admin);
    editor = await createKey(api, admin, 'editor', 'flow-editor');
    otherEditor = await createKey(api, admin, 'editor', 'flow-other');
    viewer = await createKey(api, admin, 'viewer', 'flow-viewer');
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await api?.app.close();
    await database?.drop();
  });

  const create = (body: Body, key = editor) => api.call<Workflow & ErrorBody>('POST', '/api/v1/workflows', key, body);

  async function created(body: Body): Promise<Workflow> {
    const reply = await create(body);
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function raw(method: string, path: string, key: string, body?: string, type?: string): Promise<Response> {
    return fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(type ? { 'content-type': type } : {}) },
      body,
    });
  }

  it('creates a workflow owned by its creator, with defaults, audited', async () => {
    const workflow = await created(inbox);
    expect(workflow).toMatchObject({
      name: inbox.name,
      enabled: true,
      owner: 'agent:flow-editor',
      allowSelfTrigger: false,
      maxRunsPerMinute: 600,
      trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/inbox/*.md'] },
    });
    expect(workflow.actions).toHaveLength(3);
    const audit = await db.query(`SELECT action FROM audit_log WHERE resource_id = $1`, [workflow.id]);
    expect(audit.rows).toEqual([{ action: 'workflow_created' }]);

    const fetched = await api.call<Workflow>('GET', `/api/v1/workflows/${workflow.id}`, viewer);
    expect(fetched.status).toBe(403);
    const listed = await api.call<{ items: Workflow[] }>('GET', '/api/v1/workflows', otherEditor);
    expect(listed.body.items.map((w) => w.id)).toContain(workflow.id);
  });

  it.each([
    ['trigger.eventTypes[0]', { ...inbox, trigger: { kind: 'event', eventTypes: ['file_written'], globs: [] } }],
    ['trigger.globs[0]', { ...inbox, trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/a/[b'] } }],
    ['trigger.cron', { ...inbox, trigger: { kind: 'schedule', cron: '61 * * * *' } }],
    ['conditions.any[0].path.regex', { ...inbox, conditions: { any: [{ path: { regex: '(a)\\1' } }] } }],
    ['actions[0].to', { ...inbox, actions: [{ type: 'copy', to: '../escape/{{name}}' }] }],
    ['actions[0].path', { ...inbox, actions: [{ type: 'write_file', path: '/out/{{nope}}.txt', content: 'x' }] }],
    ['actions[0].type', { ...inbox, actions: [{ type: 'explode' }] }],
    ['actions[0].jobType', { ...inbox, actions: [{ type: 'enqueue_job', jobType: 'nothing.here', payload: {} }] }],
    ['actions[0].url', { ...inbox, actions: [{ type: 'webhook', url: 'http://10.0.0.1/hook' }] }],
    ['surprise', { ...inbox, surprise: true }],
  ])('refuses a bad definition with a 400 naming %s', async (field, body) => {
    const reply = await create({ ...body, name: `bad ${field}` });
    expect(reply.status).toBe(400);
    expect(reply.body.details?.field).toBe(field);
    expect(reply.body.message.startsWith(`${field}:`)).toBe(true);
    const count = await db.query(`SELECT count(*)::int AS n FROM workflows WHERE name = $1`, [`bad ${field}`]);
    expect(count.rows[0]).toEqual({ n: 0 });
  });

  it('refuses a second workflow of the same name in the zone (409)', async () => {
    await created({ ...inbox, name: 'twice' });
    const again = await create({ ...inbox, name: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.details?.field).toBe('name');
  });

  it('PATCH merges and validates whole; only the owner or an admin changes it', async () => {
    const workflow = await created({ ...inbox, name: 'patched' });
    const patched = await api.call<Workflow>('PATCH', `/api/v1/workflows/${workflow.id}`, editor, {
      maxRunsPerMinute: 60,
      conditions: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ maxRunsPerMinute: 60, conditions: null, name: 'patched' });
    expect(patched.body.actions).toHaveLength(3);

    const bad = await api.call<ErrorBody>('PATCH', `/api/v1/workflows/${workflow.id}`, editor, { actions: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.field).toBe('actions');

    const stranger = await api.call<ErrorBody>('PATCH', `/api/v1/workflows/${workflow.id}`, otherEditor, { enabled: false });
    expect(stranger.status).toBe(403);
    const disabled = await api.call<Workflow>('POST', `/api/v1/workflows/${workflow.id}/disable`, admin);
    expect(disabled.body.enabled).toBe(false);
    const enabled = await api.call<Workflow>('POST', `/api/v1/workflows/${workflow.id}/enable`, editor);
    expect(enabled.body.enabled).toBe(true);

    expect((await api.call('DELETE', `/api/v1/workflows/${workflow.id}`, otherEditor)).status).toBe(403);
    expect((await api.call('DELETE', `/api/v1/workflows/${workflow.id}`, editor)).status).toBe(204);
    expect((await api.call('GET', `/api/v1/workflows/${workflow.id}`, editor)).status).toBe(404);
  });

  it.each(['json', 'yaml'] as const)('exports as %s and imports it back: same definition, updated by name', async (format) => {
    const workflow = await created({ ...inbox, name: `round trip ${format}` });
    const exported = await raw('GET', `/api/v1/workflows/${workflow.id}/export?format=${format}`, editor);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain(format === 'yaml' ? 'application/yaml' : 'application/json');
    const document = await exported.text();
    if (format === 'yaml') expect(document).toContain(`name: round trip yaml`);

    const type = format === 'yaml' ? 'application/yaml' : 'application/json';
    const reimported = await raw('POST', '/api/v1/workflows/import', editor, document, type);
    expect(reimported.status).toBe(201);
    const body = (await reimported.json()) as Workflow;
    expect(body).toMatchObject({ id: workflow.id, created: false, trigger: workflow.trigger, actions: workflow.actions });

    const renamed = document.replace(`round trip ${format}`, `copy of ${format}`);
    const copy = (await (await raw('POST', '/api/v1/workflows/import', otherEditor, renamed, type)).json()) as Workflow;
    expect(copy).toMatchObject({ created: true, owner: 'agent:flow-other', conditions: workflow.conditions });
  });

  it('answers a YAML syntax error with a 400 naming the body', async () => {
    const reply = await raw('POST', '/api/v1/workflows/import', editor, 'name: [unclosed', 'application/yaml');
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as ErrorBody).details?.field).toBe('body');
  });
});
