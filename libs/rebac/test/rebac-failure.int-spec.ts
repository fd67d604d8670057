import { createTestDatabase } from '@nexus/storage-models/testing';
import { openMigratedDataSource, startRebacProcess } from './rebac-test-db';
import { file, grant, newZone, user } from './service-fixtures';

/** Database failures fail closed: a typed REBAC_UNAVAILABLE (503) or a denial, never an allow. */
describe('failing closed when the database fails', () => {
  const zoneId = newZone();
  const request = { object: file('/a'), relation: 'viewer', subject: user('anne') };

  async function migratedDatabase(prefix: string) {
    const database = await createTestDatabase(prefix);
    const dataSource = await openMigratedDataSource(database, {
      poolSize: 2,
      poolIdleMs: 500,
      statementTimeoutMs: 5_000,
    });
    const { rebac, tuples } = await startRebacProcess(dataSource, { stalenessMs: 50 });
    await tuples.write(zoneId, { writes: [grant(file('/a'), 'viewer', user('anne'))] });
    expect((await rebac.check(zoneId, request)).allowed).toBe(true);
    return { database, dataSource, rebac, tuples };
  }

  it('a destroyed DataSource: checks raise REBAC_UNAVAILABLE and the gate denies', async () => {
    const { database, dataSource, rebac, tuples } = await migratedDatabase('nexus_rebac_fail_destroy');
    await dataSource.destroy();
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the staleness window
    await expect(rebac.check(zoneId, request)).rejects.toMatchObject({
      code: 'REBAC_UNAVAILABLE',
      status: 503,
    });
    await expect(
      rebac.check(zoneId, { ...request, consistency: { mode: 'fully_consistent' } }),
    ).rejects.toMatchObject({ code: 'REBAC_UNAVAILABLE' });
    expect(await rebac.isAllowed(zoneId, request.object, request.relation, request.subject)).toBe(false);
    const batch = rebac.batchCheck(zoneId, { checks: [request] });
    await expect(batch).rejects.toMatchObject({ code: 'REBAC_UNAVAILABLE' });
    await expect(
      rebac.listObjects(zoneId, { type: 'file', relation: 'viewer', subject: user('anne') }),
    ).rejects.toMatchObject({ code: 'REBAC_UNAVAILABLE' });
    await expect(
      tuples.write(zoneId, { writes: [grant(file('/b'), 'viewer', user('anne'))] }),
    ).rejects.toMatchObject({ code: 'REBAC_UNAVAILABLE' });
    await database.drop();
  });

  it('a dropped database: the same', async () => {
    const { database, dataSource, rebac } = await migratedDatabase('nexus_rebac_fail_drop');
    await database.drop(); // WITH (FORCE): live connections are cut
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect(rebac.check(zoneId, request)).rejects.toMatchObject({ code: 'REBAC_UNAVAILABLE' });
    expect(await rebac.isAllowed(zoneId, request.object, request.relation, request.subject)).toBe(false);
    expect(await rebac.isAllowed(zoneId, file('/other'), 'viewer', user('anne'))).toBe(false);
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
  });

  it('a failing statement mid-evaluation (tuples table gone): REBAC_UNAVAILABLE, not false and not true', async () => {
    const { database, dataSource, rebac } = await migratedDatabase('nexus_rebac_fail_table');
    await dataSource.query('ALTER TABLE relation_tuples RENAME TO relation_tuples_gone');
    await expect(
      rebac.check(zoneId, { ...request, consistency: { mode: 'fully_consistent' } }),
    ).rejects.toMatchObject({ code: 'REBAC_UNAVAILABLE' });
    expect(await rebac.isAllowed(zoneId, file('/a/b'), 'viewer', user('anne'))).toBe(false);
    await dataSource.destroy();
    await database.drop();
  });
});
