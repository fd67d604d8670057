import { AUTHENTICATED_ERRORS } from '@nexus/core';
import type { ErrorStatus } from '@nexus/core';

/**
 * The errors any rebac route can answer with, besides its own: a malformed
 * request or one the model cannot evaluate (400), a role the caller lacks
 * (403), and the engine failing closed when it cannot evaluate or shedding a
 * check past its admission limits (503, the latter with Retry-After).
 */
export const REBAC_ROUTE_ERRORS: readonly ErrorStatus[] = [...AUTHENTICATED_ERRORS, 400, 403, 503];

/** Evaluating routes: the zone has no model (404), the evaluation or its result is too large (422). */
export const EVALUATION_ERRORS: readonly ErrorStatus[] = [404, 422];
