import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PermissionDeniedError, RequestContext } from '@nexus/core';
import type { Role } from '@nexus/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticationFailedError } from '../auth.errors';
import { AuthAudit } from '../audit/auth-audit';
import { RateLimitPolicy } from '../rate-limit/rate-limit.policy';
import { Authenticator, ZoneForbiddenError } from './authenticator';
import { MIN_ROLE, PUBLIC_ROUTE } from './decorators';
import type { PublicRouteOptions } from './decorators';
import { roleAllows } from './roles';

export const ZONE_HEADER = 'x-nexus-zone-id';

/**
 * Every HTTP route is authenticated unless marked @Public(): credential → Principal
 * in the request context, rate limit, then the route's @MinRole(). Failures and
 * denials are audited; a failed credential also counts against the client IP.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly limits: RateLimitPolicy,
    private readonly audit: AuthAudit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const targets = [context.getHandler(), context.getClass()];
    const publicRoute = this.reflector.getAllAndOverride<PublicRouteOptions | undefined>(PUBLIC_ROUTE, targets);
    if (publicRoute) {
      if (publicRoute.rateLimit) await this.limits.enforceForClient(request.ip, reply);
      return true;
    }

    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const zoneHeader = request.headers[ZONE_HEADER];
    let authenticated;
    try {
      authenticated = await this.authenticator.authenticate(
        request.headers.authorization,
        Array.isArray(zoneHeader) ? zoneHeader[0] : zoneHeader,
      );
    } catch (error) {
      if (error instanceof AuthenticationFailedError) {
        await this.audit.failure(error.reason, { route, ip: request.ip });
        await this.limits.enforceForClient(request.ip, reply);
      } else if (error instanceof ZoneForbiddenError) {
        await this.audit.denied(error.principal, { zoneId: error.requestedZoneId }, { route, ip: request.ip });
      }
      throw error;
    }

    await this.limits.enforceForKey(authenticated, reply);
    RequestContext.setPrincipal(authenticated.principal);

    const required = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets);
    if (required && !roleAllows(authenticated.principal.role, required)) {
      await this.audit.denied(
        authenticated.principal,
        { role: required },
        { route, ip: request.ip, keyPrefix: authenticated.keyPrefix },
      );
      throw new PermissionDeniedError(`This route needs the ${required} role or higher`, 'ROLE_TOO_LOW', {
        requiredRole: required,
        role: authenticated.principal.role,
      });
    }
    return true;
  }
}
