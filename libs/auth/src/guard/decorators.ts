import type { ExecutionContext } from '@nestjs/common';
import { SetMetadata, createParamDecorator } from '@nestjs/common';
import { RequestContext, UnauthenticatedError } from '@nexus/core';
import type { Principal, Role } from '@nexus/core';

export const PUBLIC_ROUTE = 'nexus:auth:public';
export const MIN_ROLE = 'nexus:auth:min-role';

export interface PublicRouteOptions {
  /** Infrastructure endpoints (health, metrics) are not rate limited. */
  rateLimit: boolean;
}

/** The route needs no credential. Unless told otherwise it is rate limited per client IP. */
export const Public = (options: PublicRouteOptions = { rateLimit: true }) =>
  SetMetadata(PUBLIC_ROUTE, options);

/** The caller's role must be at least `role` (viewer < editor < operator < admin). */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/** The authenticated Principal of the current request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, _context: ExecutionContext): Principal => {
    const principal = RequestContext.principal();
    if (!principal) throw new UnauthenticatedError();
    return principal;
  },
);
