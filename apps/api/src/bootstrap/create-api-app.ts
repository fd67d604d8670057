import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  NestPinoLogger,
  allowDocsPageAt,
  configureHttpApplication,
  createFastifyAdapter,
  createLogger,
  enableCorsFor,
} from '@nexus/core';
import type { ApiConfig } from '@nexus/core';
import type { DestinationStream } from 'pino';
import { AppModule } from '../app.module';
import { nexusVersion } from './nexus-version';

/** Where the Swagger UI is served (the document itself at /docs-json). */
const DOCS_PATH = 'docs';

/**
 * Builds the API application (not yet listening): Fastify with request ids,
 * security headers, JSON logs, metrics, the one exception filter, DTO
 * validation, CORS when NEXUS_CORS_ORIGINS is set, and OpenAPI docs.
 * main.ts and the e2e tests both start the API through this.
 */
export async function createApiApp(
  config: ApiConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger('api', config.LOG_LEVEL, options.logDestination);
  const adapter = createFastifyAdapter({ trustProxy: config.NEXUS_TRUST_PROXY });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  configureHttpApplication(app, logger);
  enableCorsFor(app, config.NEXUS_CORS_ORIGINS);

  const openApi = new DocumentBuilder()
    .setTitle('Nexus API')
    .setDescription('AI-native filesystem server for multi-agent systems')
    .setVersion(nexusVersion())
    .addBearerAuth()
    .build();
  allowDocsPageAt(adapter.getInstance(), `/${DOCS_PATH}`);
  SwaggerModule.setup(DOCS_PATH, app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
  });
  return app;
}
