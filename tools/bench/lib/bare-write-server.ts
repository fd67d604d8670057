/**
 * The durable floor of `bench fs.small_write_vs_durable_floor`: a bare Fastify
 * route doing the least a durable small-file write must — the body written to
 * a file and fdatasync'ed, renamed into place, and a one-row INSERT committed —
 * on the same database, with no auth, versions, log, events or permissions.
 * Run as its own process (like the API).
 *   DATABASE_URL=… PORT=… DATA_DIR=… node -r @swc-node/register tools/bench/lib/bare-write-server.ts
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const dataDir = process.env.DATA_DIR ?? '';
  await mkdir(join(dataDir, 'tmp'), { recursive: true });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_floor_writes (path text PRIMARY KEY, hash char(64) NOT NULL, size bigint NOT NULL)',
  );
  const app = Fastify({ logger: false });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.put<{ Params: { name: string }; Body: Buffer }>('/write/:name', async (request, reply) => {
    const body = request.body ?? Buffer.alloc(0);
    const hash = createHash('sha256').update(body).digest('hex');
    const temp = join(dataDir, 'tmp', randomUUID());
    const file = await open(temp, 'wx');
    try {
      await file.write(body);
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temp, join(dataDir, hash));
    await pool.query('INSERT INTO bench_floor_writes (path, hash, size) VALUES ($1, $2, $3)', [
      request.params.name,
      hash,
      body.length,
    ]);
    return reply.code(201).send({ hash });
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('bare write server listening\n');
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => pool.end())
        .then(() => process.exit(0)),
  );
}

void main();
