/**
 * Filesystem benchmarks against a real API process (PostgreSQL, embedded raft-kv, local blobs):
 * - stat_vs_bare_select: GET /api/v1/fs/stat vs a bare Fastify route doing the same single
 *   SELECT on the same database (its own process), alternating rounds. Target ≥ 40 %.
 * - write_256mib: PUT of a 256 MiB body streamed over HTTP vs sha256 + fs.writeFile of the same
 *   bytes in this process; peak RSS growth of the API during the upload. Targets ≥ 50 %, < 64 MiB.
 * - small_files_10k: 10,000 small files written over HTTP, then each stat'ed twice: first with
 *   its permission not cached, then warm. Target first ≥ 50 % of warm.
 * - small_write_vs_durable_floor: PUT of 1 KiB to a new path, 16 clients in one zone, vs a bare
 *   route doing the durable floor of it (blob fsynced, one-row INSERT committed; its own process),
 *   alternating rounds. Target ≥ 30 %.
 * - small_write_one_zone_vs_16: the same 16 clients writing in one zone vs each in its own zone,
 *   alternating rounds: unrelated creations must not serialise on the zone. Target ≥ 70 %.
 *   npm run bench:fs   (FS_BENCH=stat,write,small runs only those; small_floor, small_zones, small_10k one of small's)
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import { createTestDatabase } from '@nexus/storage-models/testing';
import { median, runHttpLoad } from './lib/http-load';
import { startApi } from './lib/api-process';
import { runPutLoad } from './lib/put-load';
import type { PutLoadClient } from './lib/put-load';

const ROUNDS = 3;
const ROUND_MS = 3_000;
const CONCURRENCY = 32;
const BIG_BYTES = 256 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const SMALL_FILES = 10_000;
const SMALL_CONCURRENCY = 16;
const SMALL_BODY_BYTES = 1024;

/** FS_BENCH=stat,write,small (or small_floor, small_zones, small_10k) picks benchmarks (default: all). */
function selected(name: string): boolean {
  const only = process.env.FS_BENCH?.split(',');
  return !only || only.includes(name);
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

/** One HTTP request; the body is sent as `chunks` (streamed) when given. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  chunks: Iterable<Uint8Array> = [],
  agent?: Agent,
): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        headers,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const next = iterator.next();
        if (next.done) return void req.end();
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

/** An editor key in the admin's zone, or in `zoneId` (the admin is a superuser). */
async function editorKey(
  base: string,
  adminKey: string,
  zoneId?: string,
): Promise<{ key: string; zoneId: string }> {
  const response = await fetch(`${base}/api/v1/auth/keys`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${adminKey}`,
      'content-type': 'application/json',
      ...(zoneId ? { 'x-nexus-zone-id': zoneId } : {}),
    },
    body: JSON.stringify({
      name: 'bench editor',
      subjectType: 'agent',
      subjectId: 'bench-editor',
      role: 'editor',
      rateLimitPerMinute: 1_000_000,
    }),
  });
  const json = (await response.json()) as { key: string; zoneId: string };
  if (response.status >= 300) throw new Error(`create key: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function statVsBareSelect(
  base: string,
  key: string,
  zoneId: string,
  databaseUrl: string,
): Promise<void> {
  const auth = { authorization: `Bearer ${key}` };
  const put = await send(`${base}/api/v1/files/bench/stat/target.txt?parents=true`, 'PUT', auth, [
    Buffer.from('x'),
  ]);
  if (put.status !== 201) throw new Error(`PUT: ${put.status} ${put.body}`);
  const barePort = await freePort();
  const bare = startNexusProcess('tools/bench/lib/bare-stat-server.ts', {
    DATABASE_URL: databaseUrl,
    PORT: String(barePort),
  });
  try {
    await bare.waitForOutput(/bare stat server listening/);
    const bareUrl = `http://127.0.0.1:${barePort}/stat?zone=${zoneId}&path=${encodeURIComponent('/bench/stat/target.txt')}`;
    const statUrl = `${base}/api/v1/fs/stat?path=${encodeURIComponent('/bench/stat/target.txt')}`;
    await runHttpLoad(bareUrl, { concurrency: CONCURRENCY, durationMs: 1_000 });
    await runHttpLoad(statUrl, { concurrency: CONCURRENCY, durationMs: 1_000, headers: auth });
    const bareRps: number[] = [];
    const statRps: number[] = [];
    let errors = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await runHttpLoad(bareUrl, { concurrency: CONCURRENCY, durationMs: ROUND_MS });
      const measured = await runHttpLoad(statUrl, {
        concurrency: CONCURRENCY,
        durationMs: ROUND_MS,
        headers: auth,
      });
      bareRps.push(baseline.requestsPerSecond);
      statRps.push(measured.requestsPerSecond);
      errors += baseline.errors + measured.errors;
    }
    const ratio = median(statRps) / median(bareRps);
    line(
      `bench fs.stat_vs_bare_select stat_rps=${median(statRps).toFixed(0)} bare_select_rps=${median(bareRps).toFixed(0)} ` +
        `ratio=${(ratio * 100).toFixed(1)}% concurrency=${CONCURRENCY} errors=${errors} ` +
        `target=ratio>=40% ${ratio >= 0.4 && errors === 0 ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    await bare.stop();
  }
}

/** SHA-256 of the blob file the API stored (so hash_ok also covers the bytes on disk, not just the hash it reported). */
function storedBlobHash(dataDir: string, hash: string): string {
  const path = join(dataDir, 'cas', hash.slice(0, 2), hash.slice(2, 4), hash);
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** One round: sha256 + fs.writeFile of the bytes here, then the same bytes PUT to the API; seconds of each. */
async function writeRound(
  base: string,
  key: string,
  pid: number,
  dataDir: string,
  data: Buffer,
  round: number,
): Promise<{ baseline: number; upload: number; rssGrowth: number; hashOk: boolean }> {
  data.writeUInt32LE(round, 0); // new content every round: no deduplication
  const scratch = mkdtempSync(join(tmpdir(), 'nexus-bench-fs-baseline-'));
  try {
    const baselineStart = process.hrtime.bigint();
    const hash = createHash('sha256').update(data).digest('hex');
    await writeFile(join(scratch, hash), data);
    const baseline = Number(process.hrtime.bigint() - baselineStart) / 1e9;

    const rssBefore = rssBytes(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssBytes(pid))), 20);
    const uploadStart = process.hrtime.bigint();
    const chunks = (function* () {
      for (let i = 0; i < BIG_BYTES; i += CHUNK) yield data.subarray(i, i + CHUNK);
    })();
    const result = await send(
      `${base}/api/v1/files/bench/big/round-${round}.bin?parents=true`,
      'PUT',
      {
        authorization: `Bearer ${key}`,
        'content-type': 'application/octet-stream',
        'content-length': String(BIG_BYTES),
      },
      chunks,
    );
    const upload = Number(process.hrtime.bigint() - uploadStart) / 1e9;
    clearInterval(sampler);
    if (result.status !== 201) throw new Error(`PUT 256 MiB: ${result.status} ${result.body}`);
    const stored = (JSON.parse(result.body) as { contentHash: string }).contentHash;
    const hashOk = stored === hash && storedBlobHash(dataDir, stored) === hash;
    return { baseline, upload, rssGrowth: rssPeak - rssBefore, hashOk };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function write256MiB(base: string, key: string, pid: number, dataDir: string): Promise<void> {
  const data = Buffer.alloc(BIG_BYTES);
  for (let i = 0; i < BIG_BYTES; i += 4096) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++)
    rounds.push(await writeRound(base, key, pid, dataDir, data, round));
  const ratio = median(rounds.map((r) => r.baseline / r.upload));
  const growthMiB = Math.max(...rounds.map((r) => r.rssGrowth)) / 1024 / 1024;
  const hashOk = rounds.every((r) => r.hashOk);
  const ok = ratio >= 0.5 && growthMiB < 64 && hashOk;
  line(
    `bench fs.write_256mib upload_mib_s=${(256 / median(rounds.map((r) => r.upload))).toFixed(0)} ` +
      `baseline_mib_s=${(256 / median(rounds.map((r) => r.baseline))).toFixed(0)} ratio=${(ratio * 100).toFixed(1)}% ` +
      `rounds=${ROUNDS} rss_growth_mib=${growthMiB.toFixed(1)} hash_ok=${hashOk} ` +
      `target=ratio>=50%,rss_growth<64MiB ${ok ? 'PASS' : 'FAIL'}`,
  );
}

/** Runs `count` tasks with at most `concurrency` in flight; resolves the failures. */
async function pool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<boolean>,
): Promise<number> {
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        if (!(await task(index))) failures++;
      }
    }),
  );
  return failures;
}

async function smallFiles(base: string, key: string): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: SMALL_CONCURRENCY });
  const auth = { authorization: `Bearer ${key}` };
  const dir = (i: number) => `/bench/small/d${i % 100}`;
  await pool(100, SMALL_CONCURRENCY, async (i) => {
    const made = await send(
      `${base}/api/v1/fs/mkdir`,
      'POST',
      { ...auth, 'content-type': 'application/json' },
      [Buffer.from(JSON.stringify({ path: dir(i), parents: true }))],
      agent,
    );
    return made.status < 300;
  });
  const writeStart = process.hrtime.bigint();
  const writeErrors = await pool(SMALL_FILES, SMALL_CONCURRENCY, async (i) => {
    const result = await send(
      `${base}/api/v1/files${dir(i)}/f${i}.txt`,
      'PUT',
      auth,
      [Buffer.from(`file ${i}\n`)],
      agent,
    );
    return result.status === 201;
  });
  const writeSeconds = Number(process.hrtime.bigint() - writeStart) / 1e9;
  // Every stat needs a viewer check of its file: the first pass finds none cached (the
  // writes checked other relations, at older revisions), the second pass finds them all.
  const statPass = async () => {
    const started = process.hrtime.bigint();
    const errors = await pool(SMALL_FILES, SMALL_CONCURRENCY, async (i) => {
      const path = encodeURIComponent(`${dir(i)}/f${i}.txt`);
      return (await send(`${base}/api/v1/fs/stat?path=${path}`, 'GET', auth, [], agent)).status === 200;
    });
    return { rate: SMALL_FILES / (Number(process.hrtime.bigint() - started) / 1e9), errors };
  };
  const first = await statPass();
  const warm = await statPass();
  agent.destroy();
  const errors = writeErrors + first.errors + warm.errors;
  const ratio = first.rate / warm.rate;
  line(
    `bench fs.small_files_10k files=${SMALL_FILES} write_ops_s=${(SMALL_FILES / writeSeconds).toFixed(0)} ` +
      `first_stat_ops_s=${first.rate.toFixed(0)} warm_stat_ops_s=${warm.rate.toFixed(0)} ` +
      `first_vs_warm=${(ratio * 100).toFixed(1)}% concurrency=${SMALL_CONCURRENCY} ` +
      `errors=${errors} target=first_vs_warm>=50% ${errors === 0 && ratio >= 0.5 ? 'PASS' : 'FAIL'}`,
  );
}

async function createZone(base: string, adminKey: string, name: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/zones`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const json = (await response.json()) as { id: string };
  if (response.status >= 300) throw new Error(`create zone: ${response.status} ${JSON.stringify(json)}`);
  return json.id;
}

/** `SMALL_CONCURRENCY` API clients writing new 1 KiB files under `/bench/<tag>/c<client>/`, each with its key. */
function apiWriters(base: string, keys: readonly string[], tag: string): PutLoadClient[] {
  return Array.from({ length: SMALL_CONCURRENCY }, (_, client) => ({
    url: (n: number) => `${base}/api/v1/files/bench/${tag}/c${client}/f${n}.bin?parents=true`,
    headers: { authorization: `Bearer ${keys[client % keys.length]}` },
  }));
}

/** Alternating rounds of `a` and `b`; the medians and their ratio a/b. */
async function alternate(
  a: (round: number) => PutLoadClient[],
  b: (round: number) => PutLoadClient[],
): Promise<{ a: number; b: number; ratio: number; errors: number }> {
  const options = { bodyBytes: SMALL_BODY_BYTES, durationMs: ROUND_MS };
  await runPutLoad(a(-1), { ...options, durationMs: 1_000 });
  await runPutLoad(b(-1), { ...options, durationMs: 1_000 });
  const aRates: number[] = [];
  const bRates: number[] = [];
  let errors = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const first = await runPutLoad(a(round), options);
    const second = await runPutLoad(b(round), options);
    aRates.push(first.writesPerSecond);
    bRates.push(second.writesPerSecond);
    errors += first.errors + second.errors;
  }
  return { a: median(aRates), b: median(bRates), ratio: median(aRates) / median(bRates), errors };
}

async function smallWriteVsDurableFloor(base: string, key: string, databaseUrl: string): Promise<void> {
  const barePort = await freePort();
  const floorDir = mkdtempSync(join(tmpdir(), 'nexus-bench-fs-floor-'));
  const bare = startNexusProcess('tools/bench/lib/bare-write-server.ts', {
    DATABASE_URL: databaseUrl,
    PORT: String(barePort),
    DATA_DIR: floorDir,
  });
  try {
    await bare.waitForOutput(/bare write server listening/);
    const floorWriters = (round: number): PutLoadClient[] =>
      Array.from({ length: SMALL_CONCURRENCY }, (_, client) => ({
        url: (n: number) => `http://127.0.0.1:${barePort}/write/r${round}c${client}f${n}`,
      }));
    const result = await alternate((round) => apiWriters(base, [key], `floor-r${round}`), floorWriters);
    line(
      `bench fs.small_write_vs_durable_floor write_ops_s=${result.a.toFixed(0)} floor_ops_s=${result.b.toFixed(0)} ` +
        `ratio=${(result.ratio * 100).toFixed(1)}% body_bytes=${SMALL_BODY_BYTES} concurrency=${SMALL_CONCURRENCY} ` +
        `errors=${result.errors} target=ratio>=30% ${result.ratio >= 0.3 && result.errors === 0 ? 'PASS' : 'FAIL'}`,
    );
  } finally {
    await bare.stop();
    rmSync(floorDir, { recursive: true, force: true });
  }
}

async function smallWriteOneZoneVs16(base: string, adminKey: string, key: string): Promise<void> {
  const zoneKeys: string[] = [];
  for (let i = 0; i < SMALL_CONCURRENCY; i++) {
    const zoneId = await createZone(base, adminKey, `bench-small-${i}`);
    zoneKeys.push((await editorKey(base, adminKey, zoneId)).key);
  }
  const result = await alternate(
    (round) => apiWriters(base, [key], `zones1-r${round}`),
    (round) => apiWriters(base, zoneKeys, `zones16-r${round}`),
  );
  line(
    `bench fs.small_write_one_zone_vs_16 one_zone_ops_s=${result.a.toFixed(0)} zones16_ops_s=${result.b.toFixed(0)} ` +
      `ratio=${(result.ratio * 100).toFixed(1)}% concurrency=${SMALL_CONCURRENCY} errors=${result.errors} ` +
      `target=ratio>=70% ${result.ratio >= 0.7 && result.errors === 0 ? 'PASS' : 'FAIL'}`,
  );
}

async function main(): Promise<void> {
  const database = await createTestDatabase('nexus_bench_fs');
  const { api, base, adminKey, dataDir } = await startApi(database.url);
  try {
    const { key, zoneId } = await editorKey(base, adminKey);
    if (selected('stat')) await statVsBareSelect(base, key, zoneId, database.url);
    if (selected('write')) await write256MiB(base, key, api.child.pid!, dataDir);
    // small runs all three; small_floor, small_zones and small_10k pick one.
    if (selected('small') || selected('small_floor')) await smallWriteVsDurableFloor(base, key, database.url);
    if (selected('small') || selected('small_zones')) await smallWriteOneZoneVs16(base, adminKey, key);
    if (selected('small') || selected('small_10k')) await smallFiles(base, key);
  } finally {
    await api.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
