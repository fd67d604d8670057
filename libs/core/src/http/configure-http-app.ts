import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as PinoLogger } from 'pino';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { MetricsService } from '../observability/metrics.service';
import { createValidationPipe } from '../validation/validation-pipe';
import { installHttpObservability } from './http-observability';
import { requestIdFor } from './request-id';

/** The Fastify adapter every Nexus HTTP app uses: request ids from X-Request-ID, Nest does the logging. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    genReqId: requestIdFor,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
}

/**
 * Request context, access logs and metrics, the one exception filter and DTO
 * validation — for the API and for test apps built from library modules.
 * Call after NestFactory.create and before init/listen.
 */
export function configureHttpApplication(app: NestFastifyApplication, logger: PinoLogger): void {
  installHttpObservability(app.getHttpAdapter().getInstance(), logger.child({ context: 'http' }), app.get(MetricsService));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
}
