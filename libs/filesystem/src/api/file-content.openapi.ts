import type { ContentObject, HeadersObject } from '@nestjs/swagger';
import { REVISION_HEADER } from './revision-header';

/** A file's raw bytes (sent with the file's own Content-Type, documented as octet-stream). */
export const FILE_BYTES: ContentObject = {
  'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
};

const ETAG: HeadersObject = {
  ETag: { description: 'The version’s entity tag (quoted)', schema: { type: 'string' } },
};

/** What GET and HEAD send besides the bytes. */
export const FILE_HEADERS: HeadersObject = {
  ...ETAG,
  'Content-Length': { description: 'Bytes in this answer', schema: { type: 'integer' } },
  'Last-Modified': { description: 'When this version was written', schema: { type: 'string' } },
  'Accept-Ranges': { description: 'Always `bytes`', schema: { type: 'string' } },
};

/** A 206 adds which bytes it holds. */
export const RANGE_HEADERS: HeadersObject = {
  ...FILE_HEADERS,
  'Content-Range': { description: '`bytes start-end/size`', schema: { type: 'string' } },
};

const REVISION: HeadersObject = {
  [REVISION_HEADER]: {
    description: 'Zone revision the change became visible at (pass to reads as ?minRevision=)',
    schema: { type: 'string' },
  },
};

/** What a write sends besides its body. */
export const WRITE_HEADERS: HeadersObject = { ...ETAG, ...REVISION };

/** What a delete sends (it has no body). */
export const DELETE_HEADERS: HeadersObject = REVISION;
