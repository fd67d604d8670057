import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { RequestContext } from '../context/request-context';
import type { MetricsService } from '../observability/metrics.service';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * Wires every request into the request context, echoes its id, and after the
 * response writes one access-log line and the HTTP metrics. Routes are labelled
 * by template (`/api/v1/files/*`), never by raw URL, to keep label sets small.
 */
export function installHttpObservability(
  fastify: FastifyInstance,
  accessLog: PinoLogger,
  metrics: MetricsService,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    RequestContext.run({ requestId: request.id }, done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const durationMs = reply.elapsedTime;
    metrics.observeHttpRequest(request.method, route, reply.statusCode, durationMs / 1000);
    accessLog.info(
      {
        requestId: request.id,
        method: request.method,
        route,
        url: request.url,
        status: reply.statusCode,
        durationMs: Math.round(durationMs * 100) / 100,
      },
      'request completed',
    );
    done();
  });
}
