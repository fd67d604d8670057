import type { FastifyReply } from 'fastify';
import type { FileStat } from '../fs.types';
import { bareEtag } from '../service/etag';
import { contentDispositionFor } from './content-disposition-policy';

/** HTTP entity tags are quoted strings. */
export function quotedEtag(etag: string): string {
  return `"${etag}"`;
}

/**
 * The headers every GET and HEAD of a file carries. Content is whatever a user
 * uploaded, served from the API's origin: it is downloaded unless its type
 * cannot run script, never sniffed as another type, and sandboxed (no script,
 * an origin of its own) even when opened in place.
 */
export function setFileHeaders(reply: FastifyReply, stat: FileStat): void {
  void reply.header('ETag', quotedEtag(stat.etag ?? ''));
  void reply.header('Content-Type', stat.mimeType ?? 'application/octet-stream');
  void reply.header('Content-Disposition', contentDispositionFor(stat.name, stat.mimeType));
  void reply.header('Content-Security-Policy', 'sandbox');
  void reply.header('X-Content-Type-Options', 'nosniff');
  void reply.header('Accept-Ranges', 'bytes');
  if (stat.updatedAt) void reply.header('Last-Modified', new Date(stat.updatedAt).toUTCString());
}

/** Whether If-None-Match names the file's current etag (or `*`), so the client's copy is fresh: 304. */
export function matchesIfNoneMatch(header: string | undefined, etag: string | null): boolean {
  if (header === undefined || etag === null) return false;
  const tags = header.split(',').map(bareEtag);
  return tags.includes('*') || tags.includes(etag);
}
