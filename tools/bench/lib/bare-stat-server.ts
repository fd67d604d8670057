/**
 * The baseline of `bench fs.stat_vs_bare_select`: a bare Fastify route that
 * runs the same single SELECT a stat needs on the same database — no auth, no
 * permission check, no cache. Run as its own process (like the API) so neither
 * shares an event loop with the load generator.
 *   DATABASE_URL=… PORT=… node -r @swc-node/register tools/bench/lib/bare-stat-server.ts
 */
import Fastify from 'fastify';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { zone: string; path: string } }>('/stat', async (request, reply) => {
    const { rows } = await pool.query(
      `SELECT id, path, name, kind, size, content_hash, mime_type, version, etag, owner, created_at, updated_at
         FROM file_paths WHERE zone_id = $1 AND path = $2 AND deleted_at IS NULL`,
      [request.query.zone, request.query.path],
    );
    if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
    return rows[0];
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('bare stat server listening\n');
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
