/**
 * Permission engine benchmarks on PostgreSQL (engine level, no HTTP):
 * - seed: 1 zone, 100k tuples (10k files in a 6-level tree, 1k users, 100 groups
 *   nested 3 deep), bulk multi-row inserts;
 * - check_uncached: a file 6 levels deep whose grant comes from the root through
 *   nested groups, fully consistent (no cache): SQL round trips per check
 *   (≤ 3, counted by a TypeORM logger) and p50/p95 latency (target p50 ≤ 2 ms);
 * - list_objects: every file the probe user can view (all 10k, through the root
 *   grant): the first page of 100 alone (target ≤ 50 ms), then all of them paged
 *   by 1,000 (later pages come from the list cache; target ≤ 300 ms);
 * - check_cached: repeated checks answered by the in-process cache on one core
 *   (target ≥ 50k checks/s).
 *   npm run bench:rebac
 */
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { REBAC_DOMAIN, RebacModule, RebacService } from '@nexus/rebac';
import { buildDataSourceOptions } from '@nexus/storage-models';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { DataSource } from 'typeorm';
import type { Logger as TypeOrmLogger } from 'typeorm';

const FILES = 10_000;
const USERS = 1_000;
const GROUPS = 100;
const TARGET_TUPLES = 100_000;
const UNCACHED_CHECKS = 200;
const CACHED_MS = 3_000;

/** The rebac services as an app composes them, over the bench's own (query-counting) DataSource. */
@Module({})
class RebacBenchModule {
  static over(dataSource: DataSource): DynamicModule {
    return {
      module: RebacBenchModule,
      global: true,
      imports: [RebacModule.forRoot()],
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }
}

/** Counts every statement TypeORM sends (one statement = one round trip). */
class CountingLogger implements TypeOrmLogger {
  queries = 0;
  logQuery(): void {
    this.queries++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Row {
  objectType: string;
  objectId: string;
  relation: string;
  subjectType: string;
  subjectId: string;
  subjectRelation: string;
}

/** The dataset: returns the rows and the deep files whose grant comes from the root. */
function dataset(): { rows: Row[]; deepFiles: string[]; probeUser: string } {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rows = new Map<string, Row>();
  const add = (row: Row) => rows.set(Object.values(row).join('\u0000'), row);
  // The tree: levels 0..5 are directories with 4 children each, level 6 holds the rest.
  const levels: string[][] = [['/']];
  for (let level = 1; level <= 5; level++) {
    levels.push(
      (levels[level - 1] as string[]).flatMap((dir) =>
        [0, 1, 2, 3].map((i) => `${dir === '/' ? '' : dir}/d${i}`),
      ),
    );
  }
  const directories = levels.flat();
  const leaves: string[] = [];
  for (let i = 0; directories.length + leaves.length < FILES; i++) {
    leaves.push(`${pick(levels[5] as string[])}/f${i}.txt`);
  }
  const files = [...directories, ...leaves];
  const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
  for (const file of files) {
    if (file !== '/')
      add({
        objectType: 'file',
        objectId: file,
        relation: 'parent',
        subjectType: 'file',
        subjectId: parentOf(file),
        subjectRelation: '',
      });
  }
  // Groups nested 3 deep: g0-g9 ⊃ g10-g39 ⊃ g40-g99.
  const parentGroup = (g: number) => (g >= 40 ? 10 + ((g - 40) % 30) : g >= 10 ? (g - 10) % 10 : -1);
  for (let g = 10; g < GROUPS; g++) {
    add({
      objectType: 'group',
      objectId: `g${parentGroup(g)}`,
      relation: 'member',
      subjectType: 'group',
      subjectId: `g${g}`,
      subjectRelation: 'member',
    });
  }
  // user u0 is the probe: only a member of g40 (⊂ g10 ⊂ g0), no direct grants.
  add({
    objectType: 'group',
    objectId: 'g40',
    relation: 'member',
    subjectType: 'user',
    subjectId: 'u0',
    subjectRelation: '',
  });
  for (let u = 1; u < USERS; u++) {
    for (let k = 0; k < 5; k++) {
      add({
        objectType: 'group',
        objectId: `g${1 + Math.floor(random() * (GROUPS - 1))}`,
        relation: 'member',
        subjectType: 'user',
        subjectId: `u${u}`,
        subjectRelation: '',
      });
    }
  }
  // The root grant, then random grants to users and groups up to the target.
  add({
    objectType: 'file',
    objectId: '/',
    relation: 'viewer',
    subjectType: 'group',
    subjectId: 'g0',
    subjectRelation: 'member',
  });
  const relations = ['viewer', 'viewer', 'viewer', 'editor', 'editor', 'owner'];
  while (rows.size < TARGET_TUPLES) {
    const group = random() < 0.2;
    add({
      objectType: 'file',
      objectId: pick(files),
      relation: pick(relations),
      subjectType: group ? 'group' : 'user',
      subjectId: group
        ? `g${1 + Math.floor(random() * (GROUPS - 1))}`
        : `u${1 + Math.floor(random() * (USERS - 1))}`,
      subjectRelation: group ? 'member' : '',
    });
  }
  return { rows: [...rows.values()], deepFiles: leaves, probeUser: 'u0' };
}

async function seed(dataSource: DataSource, zoneId: string, rows: Row[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 20_000) {
    const chunk = rows.slice(start, start + 20_000);
    await dataSource.query(
      `INSERT INTO relation_tuples (zone_id, object_type, object_id, relation, subject_type, subject_id, subject_relation)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [
        zoneId,
        chunk.map((r) => r.objectType),
        chunk.map((r) => r.objectId),
        chunk.map((r) => r.relation),
        chunk.map((r) => r.subjectType),
        chunk.map((r) => r.subjectId),
        chunk.map((r) => r.subjectRelation),
      ],
    );
  }
  await dataSource.query('ANALYZE relation_tuples');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_rebac');
  const logger = new CountingLogger();
  const dataSource = new DataSource({
    ...buildDataSourceOptions({
      url: database.url,
      poolSize: 4,
      poolIdleMs: 10_000,
      statementTimeoutMs: 60_000,
      schema: REBAC_DOMAIN,
    }),
    logging: ['query'],
    logger,
  });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const zoneId = randomUUID();
    const app = await NestFactory.createApplicationContext(RebacBenchModule.over(dataSource), {
      logger: false,
    });
    const rebac = app.get(RebacService);
    const { rows, deepFiles, probeUser } = dataset();
    const seedStarted = performance.now();
    await seed(dataSource, zoneId, rows);
    const seedMs = performance.now() - seedStarted;
    process.stdout.write(
      `bench rebac.seed tuples=${rows.length} files=${FILES} users=${USERS} groups=${GROUPS} ms=${seedMs.toFixed(0)}\n`,
    );

    const subject = { type: 'user', id: probeUser };
    // Warm the pool, the JIT and the zone's model.
    await rebac.check(zoneId, {
      object: { type: 'file', id: deepFiles[0] as string },
      relation: 'viewer',
      subject,
    });

    const latencies: number[] = [];
    const trips: number[] = [];
    let denied = 0;
    for (let i = 0; i < UNCACHED_CHECKS; i++) {
      const file = deepFiles[(i * 7919) % deepFiles.length] as string;
      const before = logger.queries;
      const started = performance.now();
      const result = await rebac.check(zoneId, {
        object: { type: 'file', id: file },
        relation: 'viewer',
        subject,
        consistency: { mode: 'fully_consistent' },
      });
      latencies.push(performance.now() - started);
      trips.push(logger.queries - before);
      if (!result.allowed) denied++;
    }
    latencies.sort((a, b) => a - b);
    trips.sort((a, b) => a - b);
    const maxTrips = trips[trips.length - 1] ?? 0;
    const p50 = percentile(latencies, 50);
    process.stdout.write(
      `bench rebac.check_uncached depth=6 checks=${UNCACHED_CHECKS} p50_ms=${p50.toFixed(2)} ` +
        `p95_ms=${percentile(latencies, 95).toFixed(2)} sql_round_trips_p50=${percentile(trips, 50)} sql_round_trips_max=${maxTrips} ` +
        `denied=${denied} target=p50<=2ms,round_trips<=3 ${p50 <= 2 && maxTrips <= 3 && denied === 0 ? 'PASS' : 'FAIL'}\n`,
    );

    // list-objects for the probe: the first page of 100 on its own (nothing cached yet), then
    // every file (the root grant reaches them all), complete, paged by 1,000.
    const firstStarted = performance.now();
    const first = await rebac.listObjects(zoneId, { type: 'file', relation: 'viewer', subject, limit: 100 });
    const firstPageOf100Ms = performance.now() - firstStarted;
    const listStarted = performance.now();
    const before = logger.queries;
    let listed = 0;
    let firstPageMs = 0;
    let cursor: string | undefined;
    do {
      const page = await rebac.listObjects(zoneId, {
        type: 'file',
        relation: 'viewer',
        subject,
        limit: 1_000,
        cursor,
      });
      if (firstPageMs === 0) firstPageMs = performance.now() - listStarted;
      listed += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    const allPagesMs = performance.now() - listStarted;
    const complete = listed === FILES && first.items.length === 100;
    process.stdout.write(
      `bench rebac.list_objects objects=${listed} first_page_of_100_ms=${firstPageOf100Ms.toFixed(1)} ` +
        `first_page_of_1000_ms=${firstPageMs.toFixed(0)} all_pages_ms=${allPagesMs.toFixed(0)} ` +
        `sql_statements=${logger.queries - before} target=first_page_of_100<=50ms,all<=300ms ` +
        `${complete && firstPageOf100Ms <= 50 && allPagesMs <= 300 ? 'PASS' : 'FAIL'}\n`,
    );

    // Cached: a working set of 1,000 checks, answered from the cache.
    const working = deepFiles
      .slice(0, 1_000)
      .map((id) => ({ object: { type: 'file', id }, relation: 'viewer', subject }));
    for (const check of working) await rebac.check(zoneId, check);
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < CACHED_MS) {
      for (const check of working) await rebac.check(zoneId, check);
      count += working.length;
    }
    const perSecond = count / ((performance.now() - started) / 1000);
    process.stdout.write(
      `bench rebac.check_cached checks=${count} checks_per_sec=${perSecond.toFixed(0)} target=>=50000 ${perSecond >= 50_000 ? 'PASS' : 'FAIL'}\n`,
    );
    await app.close();
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
