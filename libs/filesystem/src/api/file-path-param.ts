import { ValidationError } from '@nexus/core';
import type { FastifyRequest } from 'fastify';
import { FsErrorCode } from '../filesystem.errors';
import { FILE_CONTENT_PREFIX } from './raw-upload';

/**
 * The zone path addressed by `/api/v1/files/<path>`, taken from the raw URL
 * and decoded segment by segment (so `%2F` cannot smuggle a separator in).
 * The services normalise and validate the result.
 */
export function filePathOf(request: FastifyRequest): string {
  const url = request.url;
  const end = url.indexOf('?');
  const encoded = url.slice(FILE_CONTENT_PREFIX.length, end === -1 ? undefined : end);
  const segments = encoded.split('/').map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new ValidationError('The path is not valid URL encoding', { segment }, FsErrorCode.InvalidPath);
    }
    if (decoded.includes('/'))
      throw new ValidationError(
        'A path segment may not contain an encoded /',
        { segment },
        FsErrorCode.InvalidPath,
      );
    return decoded;
  });
  return `/${segments.join('/')}`;
}
