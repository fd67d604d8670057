import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Response headers browser code on an allowed origin may read: caching, revisions, ranges, back-off, tracing. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'X-Nexus-Revision',
  'Content-Range',
  'Retry-After',
  'X-Request-ID',
];

/** Every method the API routes use (the CORS plugin allows only GET, HEAD and POST by default). */
const CORS_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'];

/**
 * Lets browser code on exactly these origins call the API; without origins,
 * CORS stays off and browsers keep other sites' pages out. No credentials:
 * the API authenticates with bearer headers, never cookies.
 */
export function enableCorsFor(app: NestFastifyApplication, origins: readonly string[] | undefined): void {
  if (!origins || origins.length === 0) return;
  app.enableCors({
    origin: [...origins],
    credentials: false,
    methods: CORS_METHODS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
  });
}
