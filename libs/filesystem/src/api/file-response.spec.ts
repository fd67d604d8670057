import { createFastifyAdapter } from '@nexus/core';
import type { FastifyInstance } from 'fastify';
import type { FileStat } from '../fs.types';
import { setFileHeaders } from './file-response';

function statOf(name: string, mimeType: string | null): FileStat {
  return {
    id: '7f1c6f5e-5b4e-4c7e-9d2a-0a4b1c2d3e4f',
    path: `/dir/${name}`,
    name,
    kind: 'file',
    size: 5,
    contentHash: 'ab'.repeat(32),
    mimeType,
    version: 3,
    etag: '3-abababababababab',
    owner: 'agent:someone',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    metadata: {},
    tags: [],
  };
}

describe('setFileHeaders on the adapter every Nexus app uses', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    fastify = createFastifyAdapter().getInstance();
    fastify.get<{ Querystring: { name: string; type?: string } }>('/file', async (request, reply) => {
      setFileHeaders(reply, statOf(request.query.name, request.query.type ?? null));
      return reply.send('bytes');
    });
    await fastify.ready();
  });

  afterAll(() => fastify.close());

  const served = (name: string, type?: string) =>
    fastify.inject({ url: '/file', query: type ? { name, type } : { name } });

  it('sandboxes the content in place of the API policy, and forbids sniffing', async () => {
    const response = await served('page.html', 'text/html');
    expect(response.headers['content-security-policy']).toBe('sandbox');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['page.html', 'text/html', 'attachment; filename=page.html'],
    ['logo.svg', 'image/svg+xml', 'attachment; filename=logo.svg'],
    ['notes.txt', 'text/plain', 'inline; filename=notes.txt'],
    ['photo.png', 'image/png', 'inline; filename=photo.png'],
  ])('serves %s (%s) with Content-Disposition %p and its own type', async (name, type, disposition) => {
    const response = await served(name, type);
    expect(response.headers['content-disposition']).toBe(disposition);
    expect(response.headers['content-type']).toBe(type);
  });

  it('downloads content of no recorded type as application/octet-stream', async () => {
    const response = await served('blob');
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-disposition']).toBe('attachment; filename=blob');
  });
});
