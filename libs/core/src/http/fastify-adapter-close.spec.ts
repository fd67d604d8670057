import type { AddressInfo } from 'node:net';
import { createFastifyAdapter } from './configure-http-app';

describe('createFastifyAdapter: closing', () => {
  it('closes promptly after a request that was in flight when closing began (not after the 72 s keep-alive)', async () => {
    const fastify = createFastifyAdapter().getInstance();
    let reachedHandler!: () => void;
    const handling = new Promise<void>((resolve) => (reachedHandler = resolve));
    fastify.get('/slow', async () => {
      reachedHandler();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { ok: true };
    });
    await fastify.listen({ host: '127.0.0.1', port: 0 });
    const { port } = fastify.server.address() as AddressInfo;
    // A keep-alive connection with a request in flight: busy when the server starts closing.
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`).then((response) => response.json());
    // Close only once the request is really in flight (a fixed wait raced under CI load).
    await handling;
    const started = Date.now();
    const closing = fastify.close();
    expect(await inFlight).toEqual({ ok: true });
    await closing;
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 15_000);
});
