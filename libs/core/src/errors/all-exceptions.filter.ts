import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from './domain-error';
import { toErrorResponse } from './error-response';

/**
 * The one HTTP exception filter: domain errors answer with their code and status,
 * framework errors with theirs, anything else with a 500 that leaks nothing and
 * is logged with its stack.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorResponse(exception, request.id ?? null);
    if (body.statusCode >= 500) {
      this.logger.error({
        msg: 'Unhandled error while serving request',
        err: exception,
        method: request.method,
        url: request.url,
      });
    }
    if (exception instanceof RateLimitedError) {
      void reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    void reply.status(body.statusCode).send(body);
  }
}
