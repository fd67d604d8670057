import { Injectable } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';

export const REVISION_HEADER = 'X-Nexus-Revision';

/** Tells the client the zone revision a mutation became visible at (reads take it back as ?minRevision=). */
export function setRevisionHeader(reply: FastifyReply, revision: string | null): void {
  if (revision !== null) void reply.header(REVISION_HEADER, revision);
}

function revisionOf(body: unknown): string | null | undefined {
  if (typeof body !== 'object' || body === null || !('revision' in body)) return undefined;
  const { revision } = body;
  return typeof revision === 'string' || revision === null ? revision : undefined;
}

/** Copies the `revision` of a mutation's response body into the X-Nexus-Revision header. */
@Injectable()
export class RevisionHeaderInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      tap((body) => {
        const revision = revisionOf(body);
        if (revision !== undefined) setRevisionHeader(reply, revision);
      }),
    );
  }
}
