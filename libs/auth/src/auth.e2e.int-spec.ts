import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { bootstrapKeyFrom, startAuthTestApp } from './testing';
import type { AuthTestApp } from './testing';

describe('auth over HTTP: smoke', () => {
  let database: TestDatabase;
  let api: AuthTestApp;
  let adminKey: string;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_auth_smoke');
    api = await startAuthTestApp(database.url);
    adminKey = bootstrapKeyFrom(api.logs);
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('authenticates the bootstrap key as a superuser admin of zone default', async () => {
    const response = await fetch(`${api.baseUrl}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ role: 'admin', superuser: true, subjectType: 'service' });
  });

  it('refuses a request without credentials with CREDENTIALS_MISSING', async () => {
    const response = await fetch(`${api.baseUrl}/probe/viewer`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'CREDENTIALS_MISSING' });
  });
});
