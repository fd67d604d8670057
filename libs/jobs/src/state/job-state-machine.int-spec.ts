import type { INestApplicationContext } from '@nestjs/common';
import { IllegalTransitionError, NotFoundError } from '@nexus/core';
import type { WorkerConfig } from '@nexus/core';
import { AuditLogWriter } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import { JobsService } from '../service/jobs.service';
import type { JobStatus } from '../job-types';
import { NOOP_JOB } from '../jobs/system-job-types';
import { dropQueue, jobRow, startJobsContext, testPrincipal, testWorkerConfig } from '../testing';
import { StaleLeaseSweeper } from '../worker/stale-lease-sweeper';
import { ManualJobClock } from './clock';
import { JobStateMachine } from './job-state-machine';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const OWNER = 'host-1-aaaaaaaa';
const LEASE_MS = 30_000;

describe('job state machine (real PostgreSQL)', () => {
  let database: TestDatabase;
  let config: WorkerConfig;
  let app: INestApplicationContext;
  let machine: JobStateMachine;
  let service: JobsService;
  let dataSource: DataSource;
  const clock = new ManualJobClock(T0);
  const principal = testPrincipal();

  beforeAll(async () => {
    database = await createTestDatabase('nexus_jobs_state');
    config = testWorkerConfig(database.url);
    app = await startJobsContext(config, { clock });
    machine = app.get(JobStateMachine);
    service = app.get(JobsService);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    if (config) await dropQueue(config);
    await database?.drop();
  });

  beforeEach(() => clock.set(T0));

  async function submit(maxAttempts = 3): Promise<string> {
    const { job } = await service.submit(principal, { type: NOOP_JOB.type, payload: {}, maxAttempts });
    return job.id;
  }

  /** A job brought into `status` through legal transitions (running is leased by OWNER). */
  async function jobIn(status: JobStatus): Promise<string> {
    const id = await submit(status === 'failed' ? 1 : 3);
    if (status === 'queued') return id;
    if (status === 'cancelled') {
      await machine.cancel(id);
      return id;
    }
    await machine.lease(id, OWNER, LEASE_MS);
    if (status === 'running') return id;
    if (status === 'succeeded') await machine.complete(id, OWNER, {});
    if (status === 'failed' || status === 'retry_wait') await machine.fail(id, OWNER, 'boom', [0]);
    return id;
  }

  const ALL: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'retry_wait', 'cancelled'];
  type Attempt = (id: string) => Promise<unknown>;
  const TRANSITIONS: Array<[string, JobStatus[], Attempt]> = [
    ['lease', ['queued', 'retry_wait'], (id) => machine.lease(id, OWNER, LEASE_MS)],
    ['complete', ['running'], (id) => machine.complete(id, OWNER, { ok: true })],
    ['fail', ['running'], (id) => machine.fail(id, OWNER, 'boom', [2, 10])],
    ['release', ['running'], (id) => machine.release(id, OWNER, 'drain')],
    ['cancel', ['queued', 'retry_wait', 'running'], (id) => machine.cancel(id)],
  ];
  const CASES = TRANSITIONS.flatMap(([name, legal, attempt]) =>
    ALL.map((from): [string, JobStatus, boolean, Attempt] => [name, from, legal.includes(from), attempt]),
  );

  it.each(CASES)('%s from %s: legal=%s', async (_name, from, legal, attempt) => {
    const id = await jobIn(from);
    expect((await jobRow(app, id)).status).toBe(from);
    if (legal) {
      await expect(attempt(id)).resolves.toBeTruthy();
    } else {
      await expect(attempt(id)).rejects.toThrow(IllegalTransitionError);
      expect((await jobRow(app, id)).status).toBe(from);
    }
  });

  it('lease sets owner, expiry, attempt and start; renewal extends only the owner’s lease', async () => {
    const id = await submit();
    const leased = await machine.lease(id, OWNER, LEASE_MS);
    expect(leased).toMatchObject({ status: 'running', leaseOwner: OWNER, attemptCount: 1 });
    expect(leased?.leaseExpiresAt?.getTime()).toBe(T0.getTime() + LEASE_MS);
    clock.advance(10_000);
    expect(await machine.renew(id, OWNER, LEASE_MS)).toBe(true);
    expect((await jobRow(app, id)).leaseExpiresAt?.getTime()).toBe(T0.getTime() + 10_000 + LEASE_MS);
    expect(await machine.renew(id, 'someone-else', LEASE_MS)).toBe(false);
    await expect(machine.complete(id, 'someone-else', {})).rejects.toThrow(IllegalTransitionError);
  });

  it('backs off 2 s after attempt 1, 10 s after attempt 2, and fails after attempt 3', async () => {
    const id = await submit(3);
    const backoff = config.RETRY_BACKOFF_SECONDS;
    expect(backoff).toEqual([2, 10]);
    await machine.lease(id, OWNER, LEASE_MS);
    let row = await machine.fail(id, OWNER, 'first', backoff);
    expect(row).toMatchObject({ status: 'retry_wait', attemptCount: 1, leaseOwner: null, lastError: 'first' });
    expect(row.nextRunAt.getTime() - T0.getTime()).toBe(2_000);

    clock.advance(1_999);
    expect(await machine.lease(id, OWNER, LEASE_MS)).toBeNull();
    clock.advance(1);
    await machine.lease(id, OWNER, LEASE_MS);
    const second = clock.now();
    row = await machine.fail(id, OWNER, 'second', backoff);
    expect(row).toMatchObject({ status: 'retry_wait', attemptCount: 2 });
    expect(row.nextRunAt.getTime() - second.getTime()).toBe(10_000);

    clock.advance(10_000);
    await machine.lease(id, OWNER, LEASE_MS);
    row = await machine.fail(id, OWNER, 'third', backoff);
    expect(row).toMatchObject({ status: 'failed', attemptCount: 3, lastError: 'third' });
    expect(row.finishedAt?.getTime()).toBe(clock.now().getTime());
  });

  it('takes a configured schedule, repeating its last entry', async () => {
    const id = await submit(4);
    for (const expected of [1, 5, 5]) {
      await machine.lease(id, OWNER, LEASE_MS);
      const at = clock.now();
      const row = await machine.fail(id, OWNER, 'x', [1, 5]);
      expect(row.nextRunAt.getTime() - at.getTime()).toBe(expected * 1_000);
      clock.set(row.nextRunAt);
    }
  });

  it("follows the handler's advice: its own delay instead of the schedule, or no retry at all", async () => {
    const id = await submit(3);
    await machine.lease(id, OWNER, LEASE_MS);
    const delayed = await machine.fail(id, OWNER, 'busy', [2, 10], { retryInMs: 7_250 });
    expect(delayed.status).toBe('retry_wait');
    expect(delayed.nextRunAt.getTime() - T0.getTime()).toBe(7_250);
    clock.set(delayed.nextRunAt);
    await machine.lease(id, OWNER, LEASE_MS);
    const final = await machine.fail(id, OWNER, 'gone for good', [2, 10], { retry: false });
    // Attempt 2 of 3: attempts were left, the advice ended the job.
    expect(final).toMatchObject({ status: 'failed', attemptCount: 2, lastError: 'gone for good' });
    expect(final.finishedAt?.getTime()).toBe(delayed.nextRunAt.getTime());
  });

  it('release gives the attempt back and makes the job due at once', async () => {
    const id = await submit();
    await machine.lease(id, OWNER, LEASE_MS);
    const row = await machine.release(id, OWNER, 'draining');
    expect(row).toMatchObject({ status: 'retry_wait', attemptCount: 0, leaseOwner: null });
    expect(row.nextRunAt.getTime()).toBe(T0.getTime());
  });

  it('cancel is zone-scoped: another zone sees not found', async () => {
    const id = await submit();
    await expect(machine.cancel(id, testPrincipal().zoneId)).rejects.toMatchObject({ status: 404 });
    expect((await machine.cancel(id, principal.zoneId)).status).toBe('cancelled');
  });

  it('answers each transition of one batch on its own: leased, not due, illegal, unknown', async () => {
    const due = await submit();
    const { job: later } = await service.submit(principal, { type: NOOP_JOB.type, payload: {}, runAt: new Date(T0.getTime() + 60_000) });
    const finished = await jobIn('succeeded');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const leases = await Promise.allSettled([due, later.id, finished, unknown].map((id) => machine.lease(id, OWNER, LEASE_MS)));
    expect(leases[0]).toMatchObject({ status: 'fulfilled', value: { id: due, status: 'running', attemptCount: 1 } });
    expect(leases[1]).toEqual({ status: 'fulfilled', value: null });
    expect(leases[2]).toMatchObject({ status: 'rejected', reason: expect.any(IllegalTransitionError) });
    expect(leases[3]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });

    const other = await jobIn('running');
    const completions = await Promise.allSettled([machine.complete(due, OWNER, { n: 1 }), machine.complete(other, 'someone-else', {})]);
    expect(completions[0]).toMatchObject({ status: 'fulfilled', value: { id: due, status: 'succeeded' } });
    expect(completions[1]).toMatchObject({ status: 'rejected', reason: expect.any(IllegalTransitionError) });
    expect(await jobRow(app, due)).toMatchObject({ status: 'succeeded', result: { n: 1 }, leaseOwner: null });
    expect(await jobRow(app, other)).toMatchObject({ status: 'running', leaseOwner: OWNER });
  });

  it('marks queued deliveries as dispatched, skipping rows another transaction holds instead of waiting', async () => {
    const [free, held, running] = [await submit(), await submit(), await jobIn('running')];
    await dataSource.query(`UPDATE jobs SET dispatched_at = NULL WHERE id = ANY($1::uuid[])`, [[free, held, running]]);
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`SELECT id FROM jobs WHERE id = $1 FOR UPDATE`, [held]);
      await machine.markDispatchedMany([free, held, running].map((id) => ({ id, attemptCount: id === running ? 1 : 0 })));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await jobRow(app, free)).dispatchedAt).not.toBeNull();
    expect((await jobRow(app, held)).dispatchedAt).toBeNull();
    expect((await jobRow(app, running)).dispatchedAt).toBeNull();
  });

  it('lets exactly one of many concurrent leasers win', async () => {
    for (let round = 0; round < 10; round += 1) {
      const id = await submit();
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => machine.lease(id, `w-${i}`, LEASE_MS)));
      const winners = results.filter((r) => r.status === 'fulfilled' && r.value !== null);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof IllegalTransitionError)).toBe(true);
      expect((await jobRow(app, id)).attemptCount).toBe(1);
    }
  });

  describe('stale lease recovery', () => {
    let sweeper: StaleLeaseSweeper;

    beforeAll(() => {
      sweeper = new StaleLeaseSweeper(dataSource, config, clock, app.get(AuditLogWriter));
    });

    async function auditFor(jobId: string): Promise<Array<{ details: Record<string, unknown>; actor_id: string }>> {
      return dataSource.query(`SELECT details, actor_id FROM audit_log WHERE action = 'stale_lease_recovery' AND resource_id = $1`, [
        jobId,
      ]);
    }

    it('moves an expired running job to retry_wait with backoff and audits owner, recoverer and status', async () => {
      const id = await submit(3);
      await machine.lease(id, 'crashed-worker', 1_000);
      expect(await sweeper.sweep('recoverer-1')).toEqual([]);
      clock.advance(1_001);
      const recovered = await sweeper.sweep('recoverer-1');
      expect(recovered).toEqual([expect.objectContaining({ jobId: id, originalLeaseOwner: 'crashed-worker', newStatus: 'retry_wait' })]);
      const row = await jobRow(app, id);
      expect(row).toMatchObject({ status: 'retry_wait', leaseOwner: null, attemptCount: 1 });
      expect(row.lastError).toContain('crashed-worker');
      expect(row.nextRunAt.getTime() - clock.now().getTime()).toBe(2_000);
      const audit = await auditFor(id);
      expect(audit).toHaveLength(1);
      expect(audit[0]?.actor_id).toBe('recoverer-1');
      expect(audit[0]?.details).toEqual({
        jobId: id,
        originalLeaseOwner: 'crashed-worker',
        recoveringWorker: 'recoverer-1',
        newStatus: 'retry_wait',
      });
      await expect(machine.complete(id, 'crashed-worker', {})).rejects.toThrow(IllegalTransitionError);
    });

    it('moves it to failed when its attempts are exhausted', async () => {
      const id = await submit(1);
      await machine.lease(id, 'crashed-worker', 1_000);
      clock.advance(5_000);
      await sweeper.sweep('recoverer-2');
      expect(await jobRow(app, id)).toMatchObject({ status: 'failed', attemptCount: 1 });
      expect((await auditFor(id))[0]?.details).toMatchObject({ newStatus: 'failed', originalLeaseOwner: 'crashed-worker' });
    });

    it('is safe to run on many workers at once: each job is recovered and audited once', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => submit(3)));
      for (const id of ids) await machine.lease(id, 'crashed-worker', 1_000);
      clock.advance(2_000);
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => sweeper.sweep(`sweeper-${i}`)));
      const recovered = results.flat().map((r) => r.jobId).filter((id) => ids.includes(id));
      expect(recovered.sort()).toEqual([...ids].sort());
      for (const id of ids) expect(await auditFor(id)).toHaveLength(1);
    });
  });
});
