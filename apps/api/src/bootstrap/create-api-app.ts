import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  AllExceptionsFilter,
  MetricsService,
  NestPinoLogger,
  createLogger,
  createValidationPipe,
  installHttpObservability,
  requestIdFor,
} from '@nexus/core';
import type { ApiConfig } from '@nexus/core';
import { AppModule } from '../app.module';

/**
 * Builds the API application (not yet listening): Fastify with request ids,
 * JSON logs, metrics, the one exception filter, DTO validation and OpenAPI docs.
 * main.ts and the e2e tests both start the API through this.
 */
export async function createApiApp(config: ApiConfig): Promise<NestFastifyApplication> {
  const logger = createLogger('api', config.LOG_LEVEL);
  const adapter = new FastifyAdapter({
    genReqId: requestIdFor,
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  installHttpObservability(app.getHttpAdapter().getInstance(), logger.child({ context: 'http' }), app.get(MetricsService));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());

  const openApi = new DocumentBuilder()
    .setTitle('Nexus API')
    .setDescription('AI-native filesystem server for multi-agent systems')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
