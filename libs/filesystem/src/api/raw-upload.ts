import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { isReadable } from 'node:stream';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Uploads go to these URLs: `PUT /api/v1/files/<path>`. */
export const FILE_CONTENT_PREFIX = '/api/v1/files/';

/** A content type no client sends: its parser hands the request stream through untouched. */
const RAW_UPLOAD_TYPE = 'application/x-nexus-raw-upload';

/** Where the client's own Content-Type is kept while the request carries the private one. */
const declaredContentType = Symbol('nexus:filesystem:declared-content-type');

type UploadRequest = IncomingMessage & { [declaredContentType]?: string | null };

/** The Content-Type the client declared for an upload (null when none). */
export function uploadContentType(request: FastifyRequest): string | null {
  return (request.raw as UploadRequest)[declaredContentType] ?? null;
}

/**
 * The upload's bytes as they arrive. A consumer that stops early (the blob
 * store past its size limit) must not destroy the request: that would kill
 * the socket before the error response could be sent.
 */
export function uploadBody(request: FastifyRequest): AsyncIterable<Uint8Array> {
  // Without a body Fastify runs no parser; the (empty) request stream is the content then.
  const stream = isReadable(request.body as Readable) ? (request.body as Readable) : request.raw;
  return stream.iterator({ destroyOnReturn: false });
}

/**
 * After a failed upload: throw away what the client is still sending, so it
 * can read the error response, and close the connection afterwards rather
 * than keep reading a body nobody wants.
 */
export function discardUpload(request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.readableEnded) return;
  void reply.header('Connection', 'close');
  request.raw.resume();
}

function isUpload(request: FastifyRequest): boolean {
  return request.method === 'PUT' && request.url.startsWith(FILE_CONTENT_PREFIX);
}

/**
 * File uploads must stream to the blob store whatever their Content-Type, and
 * must not meet Fastify's bodyLimit (the blob store enforces
 * NEXUS_MAX_FILE_BYTES). So before body parsing, an upload's Content-Type is
 * swapped for a private one whose parser passes the payload stream on as the
 * body; stream parsers are not subject to bodyLimit, only buffering ones are.
 */
export function installRawUploads(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(RAW_UPLOAD_TYPE, (_request, payload, done) => done(null, payload));
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (isUpload(request)) {
      (request.raw as UploadRequest)[declaredContentType] = request.headers['content-type'] ?? null;
      request.headers['content-type'] = RAW_UPLOAD_TYPE;
    }
    done();
  });
}

/** Installs the raw upload handling on the app's Fastify instance before it starts serving. */
@Injectable()
export class RawUploadInstaller implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter) installRawUploads(adapter.getInstance<FastifyInstance>());
  }
}
