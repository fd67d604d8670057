import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../testing';
import type { TestDatabase } from '../testing';
import { buildDataSourceOptions } from './data-source-options';
import { registerPoolMetrics } from './pool-metrics';

type PoolState = 'total' | 'idle' | 'in_use' | 'waiting';

/** The value of db_pool_connections{state=…} in a Prometheus text exposition, or undefined if absent. */
function gauge(exposition: string, state: PoolState): number | undefined {
  const match = new RegExp(`^db_pool_connections\\{state="${state}"\\} (\\S+)$`, 'm').exec(exposition);
  return match ? Number(match[1]) : undefined;
}

describe('registerPoolMetrics', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let registry: Registry;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_pool');
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(() => {
    dataSource = new DataSource(
      buildDataSourceOptions({
        url: database.url,
        poolSize: 3,
        poolIdleMs: 60_000,
        statementTimeoutMs: 10_000,
      }),
    );
    registry = new Registry();
    registerPoolMetrics(registry, dataSource);
  });

  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  it('describes the gauge even before the pool exists, without inventing values', async () => {
    const exposition = await registry.metrics();
    expect(exposition).toContain('# TYPE db_pool_connections gauge');
    expect(gauge(exposition, 'total')).toBeUndefined();
  });

  it('reports the pool after a query: total ≥ 1, all idle, none waiting', async () => {
    await dataSource.initialize();
    await dataSource.query('SELECT 1');

    const exposition = await registry.metrics();
    const total = gauge(exposition, 'total');
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(3);
    expect(gauge(exposition, 'idle')).toBe(total);
    expect(gauge(exposition, 'in_use')).toBe(0);
    expect(gauge(exposition, 'waiting')).toBe(0);
  });

  it('counts connections in use and requests waiting for one, read at scrape time', async () => {
    await dataSource.initialize();
    const runners = [dataSource.createQueryRunner(), dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    await Promise.all(runners.map((runner) => runner.connect()));
    // The pool (size 3) is exhausted: this query queues until a connection is released.
    const queued = dataSource.query('SELECT 42 AS answer');
    try {
      const busy = await registry.metrics();
      expect(gauge(busy, 'total')).toBe(3);
      expect(gauge(busy, 'in_use')).toBe(3);
      expect(gauge(busy, 'idle')).toBe(0);
      expect(gauge(busy, 'waiting')).toBe(1);
    } finally {
      await Promise.all(runners.map((runner) => runner.release()));
    }
    expect(await queued).toEqual([{ answer: 42 }]);

    const calm = await registry.metrics();
    expect(gauge(calm, 'in_use')).toBe(0);
    expect(gauge(calm, 'waiting')).toBe(0);
    expect(gauge(calm, 'idle')).toBe(gauge(calm, 'total'));
  });
});
