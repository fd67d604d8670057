import { ConfigValidationError, loadConfig } from './load-config';
import { WorkerConfig } from './worker.config';

describe('WorkerConfig job variables', () => {
  it('defaults RETRY_BACKOFF_SECONDS to 2,10 and parses a comma list', () => {
    expect(loadConfig(WorkerConfig, {}).RETRY_BACKOFF_SECONDS).toEqual([2, 10]);
    expect(loadConfig(WorkerConfig, { RETRY_BACKOFF_SECONDS: '1, 5,30' }).RETRY_BACKOFF_SECONDS).toEqual([
      1, 5, 30,
    ]);
  });

  it('refuses a bad backoff list, naming the variable', () => {
    for (const value of ['1,x', '-1', '1.5', ',']) {
      expect(() => loadConfig(WorkerConfig, { RETRY_BACKOFF_SECONDS: value })).toThrow(ConfigValidationError);
      expect(() => loadConfig(WorkerConfig, { RETRY_BACKOFF_SECONDS: value })).toThrow(
        /RETRY_BACKOFF_SECONDS/,
      );
    }
  });

  it('validates lease, sweep, heartbeat and drain timings', () => {
    expect(() => loadConfig(WorkerConfig, { NEXUS_JOB_LEASE_MS: '10' })).toThrow(/NEXUS_JOB_LEASE_MS/);
    expect(() => loadConfig(WorkerConfig, { NEXUS_JOBS_QUEUE: 'has space' })).toThrow(/NEXUS_JOBS_QUEUE/);
    expect(loadConfig(WorkerConfig, {})).toMatchObject({
      NEXUS_JOB_LEASE_MS: 30_000,
      NEXUS_JOB_SWEEP_INTERVAL_MS: 5_000,
      NEXUS_WORKER_HEARTBEAT_MS: 5_000,
      NEXUS_JOB_DRAIN_GRACE_MS: 8_000,
    });
  });

  it('defaults and validates the filesystem maintenance intervals', () => {
    expect(loadConfig(WorkerConfig, {})).toMatchObject({
      NEXUS_FS_RECONCILE_INTERVAL_MS: 60_000,
      NEXUS_FS_GC_INTERVAL_MS: 3_600_000,
    });
    const faster = loadConfig(WorkerConfig, { NEXUS_FS_RECONCILE_INTERVAL_MS: '5000' });
    expect(faster.NEXUS_FS_RECONCILE_INTERVAL_MS).toBe(5_000);
    expect(() => loadConfig(WorkerConfig, { NEXUS_FS_RECONCILE_INTERVAL_MS: '10' })).toThrow(
      /NEXUS_FS_RECONCILE_INTERVAL_MS/,
    );
    expect(() => loadConfig(WorkerConfig, { NEXUS_FS_GC_INTERVAL_MS: 'soon' })).toThrow(
      /NEXUS_FS_GC_INTERVAL_MS/,
    );
  });

  it('defaults the metrics server to 127.0.0.1:2027, allows 0 (off) and names a bad value', () => {
    expect(loadConfig(WorkerConfig, {})).toMatchObject({
      NEXUS_WORKER_METRICS_PORT: 2027,
      NEXUS_WORKER_METRICS_HOST: '127.0.0.1',
    });
    expect(
      loadConfig(WorkerConfig, { NEXUS_WORKER_METRICS_PORT: '0', NEXUS_WORKER_METRICS_HOST: '0.0.0.0' }),
    ).toMatchObject({
      NEXUS_WORKER_METRICS_PORT: 0,
      NEXUS_WORKER_METRICS_HOST: '0.0.0.0',
    });
    for (const value of ['abc', '-1', '65536', '20.5']) {
      expect(() => loadConfig(WorkerConfig, { NEXUS_WORKER_METRICS_PORT: value })).toThrow(
        /NEXUS_WORKER_METRICS_PORT/,
      );
    }
    expect(() => loadConfig(WorkerConfig, { NEXUS_WORKER_METRICS_HOST: 'two words' })).toThrow(
      /NEXUS_WORKER_METRICS_HOST/,
    );
  });
});
