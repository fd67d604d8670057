import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { tuple } from './rebac-e2e-client';
import type { ApiUnderTest, Body, Reply } from './support/api-under-test';
import { createKey, newAdminKey, startApi } from './support/api-under-test';

export interface Write {
  revision: string;
  written: number;
  deleted: number;
  error?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  revision?: string;
}

export type Role = 'viewer' | 'editor' | 'operator' | 'admin';

export interface RebacSuite {
  api(): ApiUnderTest;
  as(role: Role): {
    get<T = Body>(path: string): Promise<Reply<T>>;
    post<T = Body>(path: string, body: unknown): Promise<Reply<T>>;
    put<T = Body>(path: string, body: unknown): Promise<Reply<T>>;
  };
}

/** A check body in the REST shape. */
export function check(object: string, relation: string, subject: string, extra: Body = {}): Body {
  return { ...tuple(object, relation, subject), ...extra };
}

/**
 * Registers beforeAll/afterAll: a fresh database, the real API, a key per role
 * (subject agent:agent-<role>) and the seed: the editor owns /docs; anne reads
 * /docs through group eng; /docs/a.md inherits from /docs.
 */
export function useSeededRebacApi(prefix: string): RebacSuite {
  const adminKey = newAdminKey();
  const keys = {} as Record<Role, string>;
  let database: TestDatabase | undefined;
  let api: ApiUnderTest | undefined;
  const current = (): ApiUnderTest => {
    if (!api) throw new Error('the API is not started');
    return api;
  };
  const as = (role: Role) => ({
    get: <T = Body>(path: string) => current().call<T>('GET', `/api/v1/rebac/${path}`, keys[role]),
    post: <T = Body>(path: string, body: unknown) =>
      current().call<T>('POST', `/api/v1/rebac/${path}`, keys[role], body),
    put: <T = Body>(path: string, body: unknown) =>
      current().call<T>('PUT', `/api/v1/rebac/${path}`, keys[role], body),
  });

  beforeAll(async () => {
    database = await createTestDatabase(prefix);
    api = await startApi(database.url, adminKey);
    for (const role of ['viewer', 'editor', 'operator', 'admin'] as const)
      keys[role] = await createKey(api, adminKey, role, `agent-${role}`);
    const seeded = await as('operator').post<Write>('tuples', {
      writes: [
        tuple('file:/docs', 'owner', 'agent:agent-editor'),
        tuple('file:/docs/a.md', 'parent', 'file:/docs'),
        tuple('group:eng', 'member', 'user:anne'),
        tuple('file:/docs', 'viewer', 'group:eng#member'),
      ],
    });
    expect(seeded).toMatchObject({ status: 200, body: { written: 4, deleted: 0 } });
  }, 60_000);

  afterAll(async () => {
    await api?.app.close();
    await database?.drop();
  });

  return { api: current, as };
}
