/**
 * raft-kv benchmark: `npm run bench:kv`. One machine-readable line per result:
 *
 *   bench kv.embedded.<op> ops_per_s=… raw_lmdb_ops_per_s=… ratio=… target>=0.5 PASS|FAIL
 *   bench kv.etcd.lock_<acquire|release> p50_ms=… p95_ms=… n=… members=3
 *
 * Embedded: the KvStore against raw `lmdb` doing the same operations in the same
 * run, on the same disk with the same durability (sync on commit). Writes keep
 * 64 operations in flight (both sides); gets are sequential. Each figure is the
 * median of 5 alternating rounds. etcd: lock acquire/release latency on a
 * 3-member loopback cluster (needs `etcd` on PATH). Exits 1 when a target fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, RootDatabase } from 'lmdb';
import { open } from 'lmdb';
import { EtcdKvStore, LmdbKvStore } from '@nexus/raft-kv';
import { startEtcdCluster } from '@nexus/raft-kv/testing';

const KEYS = 10_000;
const IN_FLIGHT = 64;
const ROUNDS = 5;
const TARGET = 0.5;
const LOCK_SAMPLES = 300;

const keys = Array.from({ length: KEYS }, (_, i) => Buffer.from(`zone-${i % 16}/file-${String(i).padStart(6, '0')}`));
const value = Buffer.alloc(128, 7);

/** Runs `op` once per key with `inFlight` operations outstanding; ops/s. */
async function throughput(inFlight: number, op: (key: Buffer) => unknown): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < KEYS) await op(keys[next++] as Buffer);
    }),
  );
  return KEYS / (Number(process.hrtime.bigint() - started) / 1e9);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

let failed = false;

function report(name: string, store: number, raw: number): void {
  const ratio = store / raw;
  const pass = ratio >= TARGET;
  failed ||= !pass;
  process.stdout.write(
    `bench kv.embedded.${name} ops_per_s=${Math.round(store)} raw_lmdb_ops_per_s=${Math.round(raw)} ratio=${ratio.toFixed(2)} target>=${TARGET} ${pass ? 'PASS' : 'FAIL'}\n`,
  );
}

async function embedded(root: string): Promise<void> {
  const store = LmdbKvStore.open({ path: join(root, 'store') });
  const env: RootDatabase = open({ path: join(root, 'raw'), maxDbs: 8, overlappingSync: false });
  const raw: Database<Buffer, Buffer> = env.openDB<Buffer, Buffer>({ name: 'raw', keyEncoding: 'binary', encoding: 'binary' });
  const counter = Buffer.from('zone-bench');
  const rounds = { put: [[], []], get: [[], []], incrementRevision: [[], []] } as Record<string, [number[], number[]]>;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      rounds.put?.[0].push(await throughput(IN_FLIGHT, (key) => store.put('sm_metadata', key, value)));
      rounds.put?.[1].push(await throughput(IN_FLIGHT, (key) => raw.put(key, value)));
      rounds.get?.[0].push(await throughput(1, (key) => store.get('sm_metadata', key)));
      rounds.get?.[1].push(await throughput(1, (key) => raw.getBinary(key)));
      rounds.incrementRevision?.[0].push(await throughput(IN_FLIGHT, () => store.incrementRevision('zone-bench')));
      rounds.incrementRevision?.[1].push(
        await throughput(IN_FLIGHT, () =>
          env.transaction(() => {
            const current = raw.getBinary(counter);
            const next = Buffer.allocUnsafe(8);
            next.writeBigUInt64BE((current ? current.readBigUInt64BE(0) : 0n) + 1n);
            raw.putSync(counter, next);
            return next;
          }),
        ),
      );
    }
    for (const [name, [ours, theirs]] of Object.entries(rounds)) report(name, median(ours), median(theirs));
  } finally {
    await store.close();
    await env.close();
  }
}

async function etcd(): Promise<void> {
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
  } catch {
    process.stdout.write('bench kv.etcd.lock SKIP etcd is not installed (tools/ci/ensure-services.sh installs it)\n');
    return;
  }
  const cluster = await startEtcdCluster({ size: 3 });
  const store = new EtcdKvStore({ endpoints: cluster.endpoints, namespace: 'bench/' });
  try {
    const acquire: number[] = [];
    const release: number[] = [];
    for (let i = 0; i < 20; i++) {
      await store.acquireLock('warm-up', 'bench', 10_000);
      await store.releaseLock('warm-up', 'bench');
    }
    for (let i = 0; i < LOCK_SAMPLES; i++) {
      const t0 = performance.now();
      const grant = await store.acquireLock('bench-lock', 'bench', 10_000);
      const t1 = performance.now();
      const released = await store.releaseLock('bench-lock', 'bench');
      const t2 = performance.now();
      if (!grant || !released) throw new Error(`lock round ${i} failed`);
      acquire.push(t1 - t0);
      release.push(t2 - t1);
    }
    for (const [name, samples] of [['lock_acquire', acquire], ['lock_release', release]] as const) {
      process.stdout.write(
        `bench kv.etcd.${name} p50_ms=${percentile(samples, 0.5).toFixed(2)} p95_ms=${percentile(samples, 0.95).toFixed(2)} n=${samples.length} members=3\n`,
      );
    }
  } finally {
    await store.close();
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'nexus-bench-kv-'));
  try {
    await embedded(root);
    await etcd();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench kv crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
