import type { FastifyInstance, RouteOptions } from 'fastify';

/** API answers are JSON: a browser opening one needs to load nothing, and nobody may frame it. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * What the Swagger UI page loads: its scripts and stylesheets from this origin,
 * its inline <style> blocks and style attributes, data: images, and "Try it out"
 * calls to this origin. No upgrade-insecure-requests: the API may be served over
 * plain HTTP, where upgraded asset URLs would not load.
 */
const DOCS_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The hardening headers helmet sends by default, fixed once (they never vary by request). */
const HARDENING_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
} as const;

const API_HEADERS = { ...HARDENING_HEADERS, 'content-security-policy': API_POLICY };
const DOCS_PAGE_HEADERS = { ...HARDENING_HEADERS, 'content-security-policy': DOCS_PAGE_POLICY };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route serves the Swagger UI page, which needs DOCS_PAGE_POLICY (set by allowDocsPageAt). */
    nexusDocsPage?: boolean;
  }
}

/**
 * Security headers on every response (X-Content-Type-Options: nosniff among
 * them), with a Content-Security-Policy for JSON. Precomputed objects set in
 * one call: @fastify/helmet built them on every request, which cost the hot
 * permission-check route more than half of its throughput. A route may still
 * set its own headers: file content replaces the policy with `sandbox`.
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.routeOptions.config?.nexusDocsPage === true ? DOCS_PAGE_HEADERS : API_HEADERS);
    done();
  });
}

/**
 * Gives the routes at `path` and below (the Swagger UI) the policy that page
 * needs. Call before those routes are added: it looks at each route as it is added.
 */
export function allowDocsPageAt(fastify: FastifyInstance, path: string): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== path && !route.url.startsWith(`${path}/`)) return;
    route.config = { ...route.config, nexusDocsPage: true };
  });
}
