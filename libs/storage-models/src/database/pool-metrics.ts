import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function poolOf(dataSource: DataSource): PoolCounts | undefined {
  // The postgres driver keeps its pg.Pool in `master`.
  const pool = (dataSource.driver as unknown as { master?: Partial<PoolCounts> }).master;
  return pool && typeof pool.totalCount === 'number' ? (pool as PoolCounts) : undefined;
}

/** db_pool_connections{state} gauges read from the pg pool at scrape time. */
export function registerPoolMetrics(registry: Registry, dataSource: DataSource): void {
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, in_use) and queued requests (waiting)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = poolOf(dataSource);
      if (!pool) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
