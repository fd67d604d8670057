import { randomBytes } from 'node:crypto';
import type { EtcdCluster, EtcdMember } from '../testing/etcd-cluster';
import { startEtcdCluster } from '../testing/etcd-cluster';
import type { FaultRunResult } from '../testing/kv-worker.protocol';
import { KvWorker } from '../testing/kv-workers';
import { EtcdKvStore } from './etcd-kv-store';

/**
 * A real 3-member etcd cluster on loopback; two Node processes run increments,
 * acknowledged writes and lock contention while the leader is killed with
 * SIGKILL. The run must continue on the remaining quorum with no acknowledged
 * write lost, no revision going backwards and no lock held twice.
 */
const BEFORE_KILL = 20;
const AFTER_KILL = 30;

function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (condition()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }
    }, 20);
  });
}

const increasing = (values: bigint[]) => values.every((value, i) => i === 0 || value > (values[i - 1] ?? 0n));
const nonDecreasing = (values: bigint[]) =>
  values.every((value, i) => i === 0 || value >= (values[i - 1] ?? 0n));

describe('etcd cluster fault: leader killed mid-run', () => {
  let cluster: EtcdCluster;
  let workers: KvWorker[] = [];
  const namespace = `fault-${randomBytes(4).toString('hex')}/`;

  beforeAll(async () => {
    cluster = await startEtcdCluster({ size: 3 });
    const options = {
      engine: 'etcd' as const,
      endpoints: cluster.endpoints,
      namespace,
      requestTimeoutMs: 1_500,
    };
    workers = await Promise.all([KvWorker.start(options), KvWorker.start(options)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await cluster?.stop();
  });

  it('keeps every acknowledged write, never goes backwards, never grants a lock twice', async () => {
    const progress = [0, 0];
    workers.forEach((worker, i) => worker.onProgress((n) => (progress[i] = n)));
    const runs = workers.map((worker, i) =>
      worker.run<FaultRunResult>({
        op: 'fault-run',
        owner: `process-${i}`,
        zone: 'zone-f',
        lockName: 'fault-lock',
        ttlMs: 5_000,
      }),
    );

    await waitFor(
      () => progress.every((n) => n >= BEFORE_KILL),
      60_000,
      `${BEFORE_KILL} iterations in each process`,
    );
    const leader = await cluster.findLeader();
    const victim: EtcdMember = leader ?? (cluster.members[0] as EtcdMember);
    const atKill = [...progress];
    await cluster.kill(victim, 'SIGKILL');
    expect(victim.alive()).toBe(false);

    await waitFor(
      () => progress.every((n, i) => n >= (atKill[i] ?? 0) + AFTER_KILL),
      60_000,
      `${AFTER_KILL} more iterations in each process on the remaining quorum`,
    );
    await Promise.all(workers.map((worker) => worker.run({ op: 'stop' })));
    const results = await Promise.all(runs);

    const survivors = cluster.members.filter((member) => member.alive()).map((member) => member.clientUrl);
    expect(survivors).toHaveLength(2);
    const observer = new EtcdKvStore({ endpoints: survivors, namespace });
    try {
      // Zone revisions: strictly increasing in each process, never handed out twice, all at or below the final value.
      const perProcess = results.map((result) => result.increments.map(BigInt));
      for (const values of perProcess) expect(increasing(values)).toBe(true);
      const all = perProcess.flat();
      expect(new Set(all).size).toBe(all.length);
      const final = await observer.getRevision('zone-f');
      expect(all.every((value) => value <= final)).toBe(true);

      // Every acknowledged put is there.
      const stored = new Set(
        (await observer.range('acked', new Uint8Array(0))).map((entry) => Buffer.from(entry.key).toString()),
      );
      const acked = results.flatMap((result) => result.acked);
      expect(acked.filter((key) => !stored.has(key))).toEqual([]);

      // The store revision each process observed never went backwards.
      for (const result of results) expect(nonDecreasing(result.revisions.map(BigInt))).toBe(true);

      // Locks: no overlap seen inside a section, distinct tokens, no lost counter update, token order = time order.
      const sections = results.flatMap((result) => result.sections);
      expect(sections.flatMap((section) => section.violations)).toEqual([]);
      expect(new Set(sections.map((section) => section.token)).size).toBe(sections.length);
      const counter = await observer.get('locktest', Buffer.from('counter/fault-lock'));
      expect(Number(Buffer.from(counter ?? []).toString())).toBe(sections.length);
      const ordered = [...sections].sort((a, b) => (BigInt(a.token) < BigInt(b.token) ? -1 : 1));
      for (let k = 1; k < ordered.length; k++)
        expect(ordered[k]?.enter ?? 0).toBeGreaterThanOrEqual((ordered[k - 1]?.exit ?? 0) - 1);
      expect(sections.length).toBeGreaterThan(0);

      process.stdout.write(
        `fault run: killed ${leader ? 'leader' : 'member (no leader found)'} ${victim.name}; increments ${all.length}, acked writes ${acked.length}, ` +
          `lock sections ${sections.length}, retried errors ${results.map((result) => result.errors).join('+')}\n`,
      );
    } finally {
      await observer.close();
    }
  }, 150_000);
});
