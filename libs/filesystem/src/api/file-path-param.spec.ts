import { ValidationError } from '@nexus/core';
import type { FastifyRequest } from 'fastify';
import { filePathOf } from './file-path-param';

const pathOf = (url: string) => filePathOf({ url } as FastifyRequest);

describe('filePathOf', () => {
  it('decodes each segment and drops the query string', () => {
    expect(pathOf('/api/v1/files/docs/a%20b.md?version=2')).toBe('/docs/a b.md');
    expect(pathOf('/api/v1/files/%C3%A9t%C3%A9/x')).toBe('/été/x');
  });

  it('refuses an encoded separator and broken encoding', () => {
    expect(() => pathOf('/api/v1/files/a%2Fb')).toThrow(ValidationError);
    expect(() => pathOf('/api/v1/files/a%E0%A4%A')).toThrow(ValidationError);
  });
});
