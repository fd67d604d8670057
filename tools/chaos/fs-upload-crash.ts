/**
 * Fault: the API is killed (SIGKILL) in the middle of a large upload. After a
 * restart no partial file is visible and no row of it exists (file, version,
 * blob, operation log, event), a file committed before the crash is intact, and
 * a `filesystem.gc` job reclaims the partial upload left on disk.
 *   npm run chaos:fs-upload-crash
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import { report, sleep, startChaosStack } from './lib';

const DECLARED_BYTES = 256 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 7);

function filesUnder(dir: string): { path: string; size: number }[] {
  let found: { path: string; size: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found = found.concat(filesUnder(path));
    else found.push({ path, size: statSync(path).size });
  }
  return found;
}

/** Starts a PUT that sends chunks until the connection dies; resolves once `bytes` were written. */
function startEndlessUpload(base: string, key: string, path: string, bytes: number): Promise<void> {
  return new Promise((resolve) => {
    const target = new URL(`${base}/api/v1/files${path}`);
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-length': String(DECLARED_BYTES) },
    });
    req.on('error', () => undefined);
    let sent = 0;
    const pump = () => {
      while (sent < DECLARED_BYTES - CHUNK.length) {
        sent += CHUNK.length;
        if (sent >= bytes) resolve();
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nexus-chaos-fs-'));
  const stack = await startChaosStack('fs_crash', { NEXUS_DATA_DIR: dataDir });
  let restarted: ReturnType<typeof startNexusProcess> | undefined;
  try {
    const auth = { authorization: `Bearer ${stack.key}` };
    const kept = await fetch(`${stack.base}/api/v1/files/kept.txt`, {
      method: 'PUT',
      headers: auth,
      body: 'committed before the crash',
    });
    if (kept.status !== 201) throw new Error(`PUT kept.txt: ${kept.status} ${await kept.text()}`);

    await startEndlessUpload(stack.base, stack.key, '/big.bin', 32 * 1024 * 1024);
    const tmp = join(dataDir, 'cas', 'tmp');
    for (let i = 0; i < 200 && !filesUnder(tmp).some((file) => file.size > 8 * 1024 * 1024); i++)
      await sleep(50);
    const partialBefore = filesUnder(tmp).filter((file) => file.size > 0).length;
    await stack.api.stop('SIGKILL');

    const port = await freePort();
    restarted = startNexusProcess('apps/api/src/main.ts', {
      ...stack.env,
      NEXUS_DATA_DIR: dataDir,
      NEXUS_PORT: String(port),
    });
    const base = `http://127.0.0.1:${port}`;
    for (
      let i = 0;
      i < 300 &&
      !(await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await sleep(100);

    const big = await fetch(`${base}/api/v1/files/big.bin`, { headers: auth });
    const keptAfter = await fetch(`${base}/api/v1/files/kept.txt`, { headers: auth });
    const keptText = await keptAfter.text();
    const { rows } = await stack.db.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM file_paths WHERE path = '/big.bin')::int AS paths,
              (SELECT count(*) FROM file_versions)::int AS versions,
              (SELECT count(*) FROM content_blobs)::int AS blobs,
              (SELECT count(*) FROM operation_log WHERE path = '/big.bin')::int AS ops,
              (SELECT count(*) FROM outbox_events
                WHERE aggregate_type = 'file' AND payload->>'path' = '/big.bin')::int AS events`,
    );
    const counts = rows[0] ?? {};
    const invisible = big.status === 404 && counts.paths === 0 && counts.ops === 0 && counts.events === 0;
    const keptOk =
      keptAfter.status === 200 &&
      keptText === 'committed before the crash' &&
      counts.versions === 1 &&
      counts.blobs === 1;

    // The worker's GC (no grace period) reclaims what the crash left on disk.
    const worker = await stack.startWorker({ NEXUS_DATA_DIR: dataDir });
    const submitted = await fetch(`${base}/api/v1/jobs`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'filesystem.gc', payload: { graceSeconds: 0 } }),
    });
    if (submitted.status !== 201) throw new Error(`submit gc: ${submitted.status} ${await submitted.text()}`);
    const jobId = ((await submitted.json()) as { id: string }).id;
    let status = '';
    for (let i = 0; i < 300 && !['succeeded', 'failed'].includes(status); i++) {
      await sleep(100);
      status =
        (await stack.db.query<{ status: string }>('SELECT status FROM jobs WHERE id = $1', [jobId])).rows[0]
          ?.status ?? '';
    }
    await worker.process.stop();
    const keptHash = createHash('sha256').update('committed before the crash').digest('hex');
    const leftovers = [
      ...filesUnder(tmp),
      ...filesUnder(join(dataDir, 'cas')).filter((f) => !f.path.includes(`${join('cas', 'tmp')}`)),
    ].filter((file) => !file.path.endsWith(keptHash));
    const reclaimed = status === 'succeeded' && leftovers.length === 0;
    report(
      `chaos fs.upload_crash partial_before_kill=${partialBefore} big_status=${big.status} rows_of_upload=${counts.paths}/${counts.ops}/${counts.events} ` +
        `kept_intact=${keptOk} gc=${status} leftover_files=${leftovers.length}`,
      partialBefore > 0 && invisible && keptOk && reclaimed,
    );
  } finally {
    await restarted?.stop();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
