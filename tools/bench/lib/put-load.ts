import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface PutLoadClient {
  /** The URL of this client's n-th PUT (a new path each time). */
  url(n: number): string;
  headers?: Record<string, string>;
}

export interface PutLoadResult {
  writes: number;
  errors: number;
  writesPerSecond: number;
}

/**
 * Closed-loop PUT load: one keep-alive connection per client, each sending its
 * next body (new random bytes, so nothing deduplicates) when the last is
 * answered; counts 201s for `durationMs`.
 */
export async function runPutLoad(
  clients: readonly PutLoadClient[],
  options: { bodyBytes: number; durationMs: number },
): Promise<PutLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients.length });
  let writes = 0;
  let errors = 0;
  const deadline = Date.now() + options.durationMs;
  const put = (client: PutLoadClient, n: number) =>
    new Promise<void>((resolve) => {
      const target = new URL(client.url(n));
      const body = randomBytes(options.bodyBytes);
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: 'PUT',
          headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(body.length),
            ...client.headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 201) writes++;
            else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const startedAt = Date.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let n = 0; Date.now() < deadline; n++) await put(client, n);
    }),
  );
  const seconds = (Date.now() - startedAt) / 1000;
  agent.destroy();
  return { writes, errors, writesPerSecond: writes / seconds };
}
