import helmet from '@fastify/helmet';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance, RouteOptions } from 'fastify';

type ContentSecurityPolicy = Exclude<FastifyHelmetOptions['contentSecurityPolicy'], boolean | undefined>;

/** API answers are JSON: a browser opening one needs to load nothing, and nobody may frame it. */
const API_POLICY: ContentSecurityPolicy = {
  useDefaults: false,
  directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
};

/**
 * What the Swagger UI page loads: its scripts and stylesheets from this origin,
 * its inline <style> blocks and style attributes, data: images, and "Try it out"
 * calls to this origin. No upgrade-insecure-requests: the API may be served over
 * plain HTTP, where upgraded asset URLs would not load.
 */
const DOCS_PAGE_POLICY: ContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Helmet's headers on every response (X-Content-Type-Options: nosniff among
 * them), with a Content-Security-Policy for JSON. A route may still set its own
 * headers: file content replaces the policy with `sandbox`.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  void fastify.register(helmet, { contentSecurityPolicy: API_POLICY });
}

/**
 * Gives the routes at `path` and below (the Swagger UI) the policy that page
 * needs. Call before those routes are added: it looks at each route as it is
 * added. Helmet reads the route's `config.helmet` on each request; set there
 * directly, it does not matter whether helmet has loaded yet.
 */
export function allowDocsPageAt(fastify: FastifyInstance, path: string): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== path && !route.url.startsWith(`${path}/`)) return;
    const helmetConfig: Pick<FastifyHelmetOptions, 'contentSecurityPolicy'> = {
      contentSecurityPolicy: DOCS_PAGE_POLICY,
    };
    route.config = { ...route.config, helmet: helmetConfig };
  });
}
