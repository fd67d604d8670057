import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NestPinoLogger, configureHttpApplication, createFastifyAdapter, createLogger } from '@nexus/core';
import type { ApiConfig } from '@nexus/core';
import type { DestinationStream } from 'pino';
import { AppModule } from '../app.module';

/**
 * Builds the API application (not yet listening): Fastify with request ids,
 * JSON logs, metrics, the one exception filter, DTO validation and OpenAPI docs.
 * main.ts and the e2e tests both start the API through this.
 */
export async function createApiApp(
  config: ApiConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger('api', config.LOG_LEVEL, options.logDestination);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createFastifyAdapter(), {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  configureHttpApplication(app, logger);

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
