import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import type { TrustProxySetting } from '../config/api.config';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { MetricsService } from '../observability/metrics.service';
import { createValidationPipe } from '../validation/validation-pipe';
import { installHttpObservability } from './http-observability';
import { requestIdFor } from './request-id';
import { installSecurityHeaders } from './security-headers';

// Exported through this module so that @nexus/core's index needs no entry per HTTP helper.
export { enableCorsFor } from './cors';
export { allowDocsPageAt } from './security-headers';

/** How often a closing server closes the keep-alive connections that went idle since the last look. */
const IDLE_REAP_MS = 100;

export interface FastifyAdapterOptions {
  /** Whose X-Forwarded-For sets `request.ip` (NEXUS_TRUST_PROXY); default: nobody's, the peer address is the client. */
  trustProxy?: TrustProxySetting;
}

/**
 * The Fastify adapter every Nexus HTTP app uses: request ids from X-Request-ID,
 * Nest does the logging, security headers on every response. On close, Node
 * closes the connections idle at that moment only; one still busy then would
 * otherwise hold the close until its keep-alive timeout (72 s) once its last
 * response is out, so idle connections are closed again every IDLE_REAP_MS
 * until the server has closed.
 */
export function createFastifyAdapter(options: FastifyAdapterOptions = {}): FastifyAdapter {
  const adapter = new FastifyAdapter({
    genReqId: requestIdFor,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    trustProxy: options.trustProxy ?? false,
  });
  const fastify = adapter.getInstance();
  installSecurityHeaders(fastify);
  fastify.addHook('preClose', (done) => {
    const reaper = setInterval(() => fastify.server.closeIdleConnections(), IDLE_REAP_MS);
    reaper.unref();
    fastify.server.once('close', () => clearInterval(reaper));
    done();
  });
  return adapter;
}

/**
 * Request context, access logs and metrics, the one exception filter and DTO
 * validation — for the API and for test apps built from library modules.
 * Call after NestFactory.create and before init/listen.
 */
export function configureHttpApplication(app: NestFastifyApplication, logger: PinoLogger): void {
  installHttpObservability(
    app.getHttpAdapter().getInstance(),
    logger.child({ context: 'http' }),
    app.get(MetricsService),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
}
