import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';
import { retryAfterSecondsOf } from './retry-after';

/**
 * The one HTTP exception filter: domain errors answer with their code and status,
 * framework errors with theirs, anything else with a 500 that leaks nothing and
 * is logged with its stack. A 429 or 503 that says when to retry answers with
 * Retry-After and is not logged: it is load shed on purpose, and logging every
 * shed request would add to the overload it sheds.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorResponse(exception, request.id ?? null);
    const retryAfterSeconds = retryAfterSecondsOf(exception);
    if (body.statusCode >= 500 && retryAfterSeconds === undefined) {
      this.logger.error({
        msg: 'Unhandled error while serving request',
        err: exception,
        method: request.method,
        url: request.url,
      });
    }
    if (retryAfterSeconds !== undefined) void reply.header('Retry-After', String(retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }
}
