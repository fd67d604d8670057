import { AUTHENTICATED_ERRORS } from '@nexus/core';
import type { ErrorStatus } from '@nexus/core';

/**
 * The errors any filesystem route can answer with, besides its own: a bad
 * path or query (400), a role or permission the caller lacks (403), and the
 * permission engine or raft-kv being unreachable (503).
 */
export const FS_ROUTE_ERRORS: readonly ErrorStatus[] = [...AUTHENTICATED_ERRORS, 400, 403, 503];
