/**
 * A child process that opens a KvStore and runs scripted workloads for the
 * multi-process tests (testing/kv-workers.ts starts it). Options arrive as JSON
 * in argv[2]; commands and answers travel over the IPC channel. BigInts travel
 * as decimal strings.
 */
import { LmdbKvStore } from '../embedded/lmdb-kv-store';
import { EtcdKvStore } from '../etcd/etcd-kv-store';
import { KvError, KvErrorCode } from '../kv.errors';
import type { KvStore } from '../kv-store';
import type {
  FaultRunResult,
  LockSection,
  WorkerCommand,
  WorkerOptions,
  WorkerReply,
} from './kv-worker.protocol';

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
const store: KvStore =
  options.engine === 'etcd'
    ? new EtcdKvStore({
        endpoints: options.endpoints ?? [],
        namespace: options.namespace,
        requestTimeoutMs: options.requestTimeoutMs,
      })
    : LmdbKvStore.open({ path: options.path ?? '' });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
let stopping = false;

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

/** Retries an operation while the engine is unavailable (e.g. while etcd elects a new leader). */
async function retrying<T>(operation: () => Promise<T>, counts: { errors: number }): Promise<T> {
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof KvError) || error.code !== KvErrorCode.Unavailable) throw error;
      counts.errors++;
      await sleep(50);
    }
  }
}

async function increments(zone: string, count: number): Promise<string[]> {
  const values: string[] = [];
  for (let i = 0; i < count; i++) values.push((await store.incrementRevision(zone)).toString());
  return values;
}

const holderKey = (name: string) => Buffer.from(`holder/${name}`);
const counterKey = (name: string) => Buffer.from(`counter/${name}`);

/**
 * One critical section under the lock: claim a sentinel with CAS (fails if
 * anyone else is inside), bump a counter by read-then-write (loses updates if
 * two run at once), hold for `holdMs`, clear the sentinel, release.
 */
async function section(
  name: string,
  owner: string,
  ttlMs: number,
  holdMs: number,
  counts: { errors: number },
): Promise<LockSection | null> {
  const grant = await retrying(() => store.acquireLock(name, owner, ttlMs), counts);
  if (!grant) return null;
  const enter = now();
  const violations: string[] = [];
  const me = Buffer.from(`${owner}:${grant.fencingToken}`);
  if (!(await retrying(() => store.compareAndSwap('locktest', holderKey(name), null, me), counts))) {
    const current = await retrying(() => store.get('locktest', holderKey(name)), counts);
    if (!current || Buffer.compare(current, me) !== 0)
      violations.push(`sentinel held by ${Buffer.from(current ?? []).toString()} when ${owner} entered`);
  }
  const before = await retrying(() => store.get('locktest', counterKey(name)), counts);
  const next = Buffer.from(String(Number(Buffer.from(before ?? []).toString() || '0') + 1));
  if (holdMs > 0) await sleep(holdMs);
  await retrying(() => store.put('locktest', counterKey(name), next), counts);
  if (!(await retrying(() => store.compareAndSwap('locktest', holderKey(name), me, null), counts))) {
    const current = await retrying(() => store.get('locktest', holderKey(name)), counts);
    if (current !== undefined)
      violations.push(`sentinel changed to ${Buffer.from(current).toString()} while ${owner} held the lock`);
  }
  const exit = now();
  const released = await retrying(() => store.releaseLock(name, owner), counts);
  return { token: grant.fencingToken.toString(), enter, exit, released, violations };
}

async function lockRounds(
  name: string,
  owner: string,
  ttlMs: number,
  holds: number[],
): Promise<LockSection[]> {
  const sections: LockSection[] = [];
  const counts = { errors: 0 };
  for (const holdMs of holds) {
    for (;;) {
      const done = await section(name, owner, ttlMs, holdMs, counts);
      if (done) {
        sections.push(done);
        break;
      }
      await sleep(1 + Math.floor(Math.random() * 3));
    }
  }
  return sections;
}

/** The fault test's workload: increments, acknowledged puts and lock sections until told to stop. */
async function faultRun(
  owner: string,
  zone: string,
  lockName: string,
  ttlMs: number,
): Promise<FaultRunResult> {
  const result: FaultRunResult = { increments: [], acked: [], sections: [], revisions: [], errors: 0 };
  let n = 0;
  while (!stopping) {
    result.increments.push((await retrying(() => store.incrementRevision(zone), result)).toString());
    const key = `${owner}/${++n}`;
    await retrying(() => store.put('acked', Buffer.from(key), Buffer.from(String(n))), result);
    result.acked.push(key);
    const done = await section(lockName, owner, ttlMs, 2, result);
    if (done) result.sections.push(done);
    result.revisions.push((await retrying(() => store.currentRevision(), result)).toString());
    if (n % 10 === 0) send({ id: -1, progress: n });
  }
  return result;
}

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.op) {
    case 'increments':
      return increments(command.zone, command.count);
    case 'locks':
      return lockRounds(command.name, command.owner, command.ttlMs, command.holds);
    case 'fault-run':
      return faultRun(command.owner, command.zone, command.lockName, command.ttlMs);
    case 'stop':
      stopping = true;
      return null;
  }
}

process.on('message', (command: WorkerCommand) => {
  handle(command).then(
    (result) => send({ id: command.id, result }),
    (error: unknown) =>
      send({
        id: command.id,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  );
});

process.on('disconnect', () => {
  void store.close().finally(() => process.exit(0));
});

send({ id: 0, ready: true });
