import type { FastifyReply } from 'fastify';
import type { FileStat, WriteResult } from '../fs.types';
import { bareEtag } from '../service/etag';

/** What a content write answers (the status, 201 or 200, says whether the file is new). */
export interface FileWriteView {
  path: string;
  version: number;
  etag: string;
  size: number;
  contentHash: string;
  revision: string | null;
}

export function toWriteView(result: WriteResult): FileWriteView {
  const { path, version, etag, size, contentHash, revision } = result;
  return { path, version, etag, size, contentHash, revision };
}

/** HTTP entity tags are quoted strings. */
export function quotedEtag(etag: string): string {
  return `"${etag}"`;
}

/** The headers every GET and HEAD of a file carries. */
export function setFileHeaders(reply: FastifyReply, stat: FileStat): void {
  void reply.header('ETag', quotedEtag(stat.etag ?? ''));
  void reply.header('Content-Type', stat.mimeType ?? 'application/octet-stream');
  void reply.header('Accept-Ranges', 'bytes');
  if (stat.updatedAt) void reply.header('Last-Modified', new Date(stat.updatedAt).toUTCString());
}

/** Whether If-None-Match names the file's current etag (or `*`), so the client's copy is fresh: 304. */
export function matchesIfNoneMatch(header: string | undefined, etag: string | null): boolean {
  if (header === undefined || etag === null) return false;
  const tags = header.split(',').map(bareEtag);
  return tags.includes('*') || tags.includes(etag);
}
