import type { TrustProxySetting } from '../config/api.config';
import { createFastifyAdapter } from './configure-http-app';

/** request.ip of one request from `remoteAddress` carrying `forwardedFor`, under `trustProxy`. */
async function clientIp(
  trustProxy: TrustProxySetting | undefined,
  remoteAddress: string,
  forwardedFor: string,
): Promise<string> {
  const fastify = createFastifyAdapter(trustProxy === undefined ? {} : { trustProxy }).getInstance();
  fastify.get('/ip', async (request) => ({ ip: request.ip }));
  try {
    const response = await fastify.inject({
      url: '/ip',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
    });
    return response.json<{ ip: string }>().ip;
  } finally {
    await fastify.close();
  }
}

describe('createFastifyAdapter: trustProxy', () => {
  const CHAIN = '198.51.100.1, 203.0.113.7';

  it('ignores X-Forwarded-For by default: the peer is the client', async () => {
    expect(await clientIp(undefined, '10.0.0.5', CHAIN)).toBe('10.0.0.5');
    expect(await clientIp(false, '10.0.0.5', CHAIN)).toBe('10.0.0.5');
  });

  it('takes the address the nearest proxy saw with a hop count of 1', async () => {
    expect(await clientIp(1, '10.0.0.5', CHAIN)).toBe('203.0.113.7');
  });

  it('walks back through X-Forwarded-For only past listed proxies', async () => {
    expect(await clientIp(['10.0.0.0/8'], '10.0.0.5', CHAIN)).toBe('203.0.113.7');
    expect(await clientIp(['10.0.0.0/8', '203.0.113.7'], '10.0.0.5', CHAIN)).toBe('198.51.100.1');
    expect(await clientIp(['192.168.0.0/16'], '10.0.0.5', CHAIN)).toBe('10.0.0.5');
  });
});
