import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LmdbKvStore } from './embedded/lmdb-kv-store';
import { EtcdKvStore } from './etcd/etcd-kv-store';
import type { KvStore } from './kv-store';
import type { EtcdCluster } from './testing/etcd-cluster';
import { startEtcdCluster } from './testing/etcd-cluster';
import type { LockSection, WorkerOptions } from './testing/kv-worker.protocol';
import { KvWorker } from './testing/kv-workers';

/**
 * Properties across separate OS processes (3 workers per engine, each with its
 * own store handle): zone revisions are handed out exactly once and strictly
 * increase, and a lock is never held by two owners at once.
 */
const PROCESSES = 3;

function sortBigints(values: bigint[]): bigint[] {
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function describeAcrossProcesses(engine: 'embedded' | 'etcd'): void {
  describe(`${engine} engine, ${PROCESSES} processes`, () => {
    let workers: KvWorker[] = [];
    const worker = (i: number): KvWorker => {
      const found = workers[i];
      if (!found) throw new Error(`no worker ${i}`);
      return found;
    };
    let observer: KvStore;
    let cluster: EtcdCluster | undefined;
    let root = '';

    beforeAll(async () => {
      let options: WorkerOptions;
      if (engine === 'etcd') {
        cluster = await startEtcdCluster({ size: 1 });
        options = {
          engine,
          endpoints: cluster.endpoints,
          namespace: `conc-${randomBytes(4).toString('hex')}/`,
        };
        observer = new EtcdKvStore({ endpoints: cluster.endpoints, namespace: options.namespace });
      } else {
        root = mkdtempSync(join(tmpdir(), 'nexus-kv-conc-'));
        options = { engine, path: join(root, 'kv') };
        observer = LmdbKvStore.open({ path: join(root, 'kv') });
      }
      workers = await Promise.all(Array.from({ length: PROCESSES }, () => KvWorker.start(options)));
    }, 60_000);

    afterAll(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await observer?.close();
      await cluster?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('hands out every zone revision exactly once, strictly increasing within each process', async () => {
      const plan = fc.array(
        fc.record({ zone: fc.constantFrom('zone-a', 'zone-b'), count: fc.integer({ min: 1, max: 40 }) }),
        {
          minLength: PROCESSES,
          maxLength: PROCESSES,
        },
      );
      await fc.assert(
        fc.asyncProperty(plan, async (assignments) => {
          const before = new Map<string, bigint>();
          for (const zone of ['zone-a', 'zone-b']) before.set(zone, await observer.getRevision(zone));

          const results = await Promise.all(
            assignments.map((job, i) =>
              worker(i).run<string[]>({ op: 'increments', zone: job.zone, count: job.count }),
            ),
          );

          const byZone = new Map<string, bigint[]>();
          results.forEach((values, i) => {
            const numbers = values.map(BigInt);
            for (let k = 1; k < numbers.length; k++) expect(numbers[k]).toBeGreaterThan(numbers[k - 1] ?? 0n);
            const zone = assignments[i]?.zone ?? '';
            byZone.set(zone, [...(byZone.get(zone) ?? []), ...numbers]);
          });
          for (const [zone, values] of byZone) {
            const start = before.get(zone) ?? 0n;
            expect(sortBigints(values)).toEqual(values.map((_, k) => start + BigInt(k + 1)));
            expect(await observer.getRevision(zone)).toBe(start + BigInt(values.length));
          }
        }),
        { numRuns: 8 },
      );
    }, 120_000);

    it('never lets two owners hold one lock at once', async () => {
      const plan = fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), {
        minLength: PROCESSES,
        maxLength: PROCESSES,
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(plan, async (holds) => {
          const name = `lock-${++run}`;
          const results = await Promise.all(
            holds.map((rounds, i) =>
              worker(i).run<LockSection[]>({
                op: 'locks',
                name,
                owner: `process-${i}`,
                ttlMs: 20_000,
                holds: rounds,
              }),
            ),
          );
          const sections = results.flat();

          expect(sections.flatMap((section) => section.violations)).toEqual([]);
          expect(sections.every((section) => section.released)).toBe(true);
          const tokens = sortBigints(sections.map((section) => BigInt(section.token)));
          expect(new Set(tokens).size).toBe(sections.length);
          const counter = await observer.get('locktest', Buffer.from(`counter/${name}`));
          expect(Number(Buffer.from(counter ?? []).toString())).toBe(sections.length);
          // Ordered by fencing token, each holder entered after the previous one left.
          const ordered = [...sections].sort((a, b) => (BigInt(a.token) < BigInt(b.token) ? -1 : 1));
          for (let k = 1; k < ordered.length; k++) {
            expect(ordered[k]?.enter ?? 0).toBeGreaterThanOrEqual((ordered[k - 1]?.exit ?? 0) - 1);
          }
        }),
        { numRuns: 6 },
      );
    }, 120_000);
  });
}

describe('across processes', () => {
  describeAcrossProcesses('embedded');
  describeAcrossProcesses('etcd');
});
