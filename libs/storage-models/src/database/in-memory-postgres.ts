import type { EmbeddedPostgres } from './embedded-postgres';

/**
 * A throw-away PGlite database in memory, served on a free loopback port.
 * For tests and for generating migrations; nothing touches the disk.
 */
export async function startInMemoryPostgres(maxConnections = 8): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    // Nothing to announce: no other process looks for an in-memory database.
    markReady: async () => undefined,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
