import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LmdbKvStore } from './embedded/lmdb-kv-store';
import { EtcdKvStore } from './etcd/etcd-kv-store';
import type { KvBatchOp, KvEntry, KvStore, RangeOptions } from './kv-store';
import type { EtcdCluster } from './testing/etcd-cluster';
import { startEtcdCluster } from './testing/etcd-cluster';
import { InMemoryKvModel } from './testing/in-memory-kv-model';

/**
 * Model-based property: any sequence of operations gives the same answers on a
 * real engine as on the in-memory model, and moves the store revision exactly
 * when something changed. Keys come from a tiny byte alphabet (with 0x00 and
 * 0xff) so sequences collide, share prefixes and hit range edges.
 */
interface Real {
  store: KvStore;
  startRevision: bigint;
}

type Command = fc.AsyncCommand<InMemoryKvModel, Real>;

const hex = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? '-' : Buffer.from(bytes).toString('hex');
const entries = (list: KvEntry[]) => list.map((entry) => `${hex(entry.key)}=${hex(entry.value)}`);

const tableArb = fc.constantFrom('t1', 't2');
const byteArb = fc.constantFrom(0x00, 0x01, 0x61, 0x62, 0xfe, 0xff);
const keyArb = fc.array(byteArb, { minLength: 1, maxLength: 3 }).map((bytes) => Uint8Array.from(bytes));
const boundArb = fc.array(byteArb, { maxLength: 3 }).map((bytes) => Uint8Array.from(bytes));
const valueArb = fc.uint8Array({ maxLength: 4 });
const zoneArb = fc.constantFrom('z1', 'z2');
const rangeOptionsArb: fc.Arbitrary<RangeOptions> = fc.record(
  { limit: fc.integer({ min: 1, max: 5 }), reverse: fc.boolean() },
  { requiredKeys: ['reverse'] },
);

async function checkRevision(model: InMemoryKvModel, real: Real): Promise<void> {
  expect(await real.store.currentRevision()).toBe(real.startRevision + model.revisionsUsed);
}

function command(label: string, run: (model: InMemoryKvModel, real: Real) => Promise<void>): Command {
  return {
    check: () => true,
    run: async (model, real) => {
      await run(model, real);
      await checkRevision(model, real);
    },
    toString: () => label,
  };
}

const commands: fc.Arbitrary<Command>[] = [
  fc.tuple(tableArb, keyArb, valueArb).map(([table, key, value]) =>
    command(`put(${table},${hex(key)},${hex(value)})`, async (model, real) => {
      model.put(table, key, value);
      await real.store.put(table, key, value);
    }),
  ),
  fc.tuple(tableArb, keyArb).map(([table, key]) =>
    command(`get(${table},${hex(key)})`, async (model, real) => {
      expect(hex(await real.store.get(table, key))).toBe(hex(model.get(table, key)));
    }),
  ),
  fc.tuple(tableArb, keyArb).map(([table, key]) =>
    command(`delete(${table},${hex(key)})`, async (model, real) => {
      expect(await real.store.delete(table, key)).toBe(model.delete(table, key));
    }),
  ),
  fc
    .tuple(tableArb, boundArb, fc.option(boundArb, { nil: undefined }), rangeOptionsArb)
    .map(([table, start, end, options]) =>
      command(`range(${table},${hex(start)},${hex(end)},${JSON.stringify(options)})`, async (model, real) => {
        expect(entries(await real.store.range(table, start, end, options))).toEqual(
          entries(model.range(table, start, end, options)),
        );
      }),
    ),
  fc.tuple(tableArb, boundArb, rangeOptionsArb).map(([table, prefix, options]) =>
    command(`scanPrefix(${table},${hex(prefix)},${JSON.stringify(options)})`, async (model, real) => {
      expect(entries(await real.store.scanPrefix(table, prefix, options))).toEqual(
        entries(model.scanPrefix(table, prefix, options)),
      );
    }),
  ),
  fc
    .uniqueArray(fc.record({ put: fc.boolean(), table: tableArb, key: keyArb, value: valueArb }), {
      maxLength: 5,
      selector: (op) => `${op.table}:${hex(op.key)}`,
    })
    .map((ops) =>
      ops.map((op): KvBatchOp =>
        op.put
          ? { type: 'put', table: op.table, key: op.key, value: op.value }
          : { type: 'delete', table: op.table, key: op.key },
      ),
    )
    .map((ops) =>
      command(
        `batch(${ops.map((op) => `${op.type}:${op.table}:${hex(op.key)}`).join(' ')})`,
        async (model, real) => {
          model.batch(ops);
          await real.store.batch(ops);
        },
      ),
    ),
  fc
    .tuple(
      tableArb,
      keyArb,
      fc.oneof(fc.constant('absent' as const), fc.constant('current' as const), valueArb),
      fc.option(valueArb, { nil: null }),
    )
    .map(([table, key, expectation, next]) =>
      command(
        `cas(${table},${hex(key)},${typeof expectation === 'string' ? expectation : hex(expectation)},${next === null ? 'null' : hex(next)})`,
        async (model, real) => {
          const expected =
            expectation === 'absent'
              ? null
              : expectation === 'current'
                ? (model.get(table, key) ?? null)
                : expectation;
          expect(await real.store.compareAndSwap(table, key, expected, next)).toBe(
            model.compareAndSwap(table, key, expected, next),
          );
        },
      ),
    ),
  zoneArb.map((zone) =>
    command(`incrementRevision(${zone})`, async (model, real) => {
      expect(await real.store.incrementRevision(zone)).toBe(model.incrementRevision(zone));
    }),
  ),
  zoneArb.map((zone) =>
    command(`getRevision(${zone})`, async (model, real) => {
      expect(await real.store.getRevision(zone)).toBe(model.getRevision(zone));
    }),
  ),
];

async function agreesWithModel(
  open: () => Promise<KvStore>,
  numRuns: number,
  maxCommands: number,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands }), async (cmds) => {
      const store = await open();
      try {
        const setup = async () => ({
          model: new InMemoryKvModel(),
          real: { store, startRevision: await store.currentRevision() },
        });
        await fc.asyncModelRun(setup, cmds);
      } finally {
        await store.close();
      }
    }),
    { numRuns },
  );
}

describe('random operation sequences agree with the in-memory model', () => {
  let root = '';
  let cluster: EtcdCluster | undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nexus-kv-prop-'));
    cluster = await startEtcdCluster({ size: 1 });
  });

  afterAll(async () => {
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('on the embedded engine', async () => {
    let run = 0;
    await agreesWithModel(async () => LmdbKvStore.open({ path: join(root, `run-${++run}`) }), 60, 40);
  }, 120_000);

  it('on the etcd engine', async () => {
    await agreesWithModel(
      async () =>
        new EtcdKvStore({
          endpoints: cluster?.endpoints ?? [],
          namespace: `prop-${randomBytes(6).toString('hex')}/`,
        }),
      25,
      30,
    );
  }, 120_000);
});
