import type { FastifyInstance } from 'fastify';
import { cspDirectivesOf } from '../testing/content-security-policy';
import { createFastifyAdapter } from './configure-http-app';
import { allowDocsPageAt } from './security-headers';

describe('security headers of the Fastify adapter', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    fastify = createFastifyAdapter().getInstance();
    allowDocsPageAt(fastify, '/docs');
    fastify.get('/api/thing', async () => ({ ok: true }));
    fastify.get('/docs', async (_request, reply) => reply.type('text/html').send('<html></html>'));
    fastify.get('/docs/*', async () => 'asset');
    fastify.get('/docs-json', async () => ({ openapi: '3.0.0' }));
    fastify.get('/own-policy', async (_request, reply) =>
      reply.header('Content-Security-Policy', 'sandbox').send('x'),
    );
    await fastify.ready();
  });

  afterAll(() => fastify.close());

  it('gives JSON answers nosniff and a policy that loads nothing and forbids framing', async () => {
    const response = await fastify.inject({ url: '/api/thing' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(cspDirectivesOf(response.headers['content-security-policy'])).toEqual({
      'default-src': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('gives unmatched routes (404) the same headers', async () => {
    const response = await fastify.inject({ url: '/no/such/route' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(cspDirectivesOf(response.headers['content-security-policy'])['default-src']).toEqual(["'none'"]);
  });

  it.each(['/docs', '/docs/swagger-ui-bundle.js'])(
    'lets %s load its own scripts and styles, nothing foreign',
    async (url) => {
      const response = await fastify.inject({ url });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const policy = cspDirectivesOf(response.headers['content-security-policy']);
      expect(policy).toMatchObject({
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'frame-ancestors': ["'none'"],
      });
      expect(policy).not.toHaveProperty('upgrade-insecure-requests');
    },
  );

  it('keeps the JSON policy for /docs-json, which only shares the prefix', async () => {
    const response = await fastify.inject({ url: '/docs-json' });
    expect(cspDirectivesOf(response.headers['content-security-policy'])).not.toHaveProperty('script-src');
  });

  it('lets a route replace the policy with its own', async () => {
    const response = await fastify.inject({ url: '/own-policy' });
    expect(response.headers['content-security-policy']).toBe('sandbox');
  });
});
