import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PermissionDeniedError, RequestContext } from '@nexus/core';
import type { Role } from '@nexus/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthErrorCode, AuthenticationFailedError } from '../auth.errors';
import { AuthAudit } from '../audit/auth-audit';
import { displayPrefix, looksLikeApiKey } from '../keys/api-key-format';
import { RateLimitPolicy } from '../rate-limit/rate-limit.policy';
import { Authenticator, ZoneForbiddenError } from './authenticator';
import type { Authenticated } from './authenticator';
import { MIN_ROLE, PUBLIC_ROUTE } from './decorators';
import type { PublicRouteOptions } from './decorators';
import { roleAllows } from './roles';

export const ZONE_HEADER = 'x-nexus-zone-id';

/** The display prefix of a refused API key (which key was tried, never its secret); null for anything else. */
function apiKeyPrefixOf(authorization: string | undefined): string | null {
  const credential = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return credential && looksLikeApiKey(credential) ? displayPrefix(credential) : null;
}

function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`;
}

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

  /**
   * Synchronous when everything it needs is cached (the common case): every
   * promise costs on this path, since the request context tracks each one.
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const targets = [context.getHandler(), context.getClass()];
    const publicRoute = this.reflector.getAllAndOverride<PublicRouteOptions | undefined>(
      PUBLIC_ROUTE,
      targets,
    );
    if (publicRoute) {
      const limited = publicRoute.rateLimit ? this.limits.enforceForClient(request.ip, reply) : undefined;
      return limited ? limited.then(() => true) : true;
    }

    const zoneHeader = request.headers[ZONE_HEADER];
    let authenticated: Authenticated | Promise<Authenticated>;
    try {
      authenticated = this.authenticator.authenticate(
        request.headers.authorization,
        Array.isArray(zoneHeader) ? zoneHeader[0] : zoneHeader,
      );
    } catch (error) {
      return this.refuse(error, request, reply);
    }
    if (authenticated instanceof Promise) {
      return authenticated.then(
        (resolved) => this.admit(resolved, request, reply, targets),
        (error: unknown) => this.refuse(error, request, reply),
      );
    }
    return this.admit(authenticated, request, reply, targets);
  }

  /** A valid credential: count it against its key's limit, then check the route's role. */
  private admit(
    authenticated: Authenticated,
    request: FastifyRequest,
    reply: FastifyReply,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): boolean | Promise<boolean> {
    const limited = this.limits.enforceForKey(authenticated, reply);
    if (limited) return limited.then(() => this.authorize(authenticated, request, targets));
    return this.authorize(authenticated, request, targets);
  }

  private authorize(
    authenticated: Authenticated,
    request: FastifyRequest,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): boolean | Promise<boolean> {
    RequestContext.setPrincipal(authenticated.principal);
    const required = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets);
    if (!required || roleAllows(authenticated.principal.role, required)) return true;
    return this.deny(authenticated, required, request);
  }

  private async deny(authenticated: Authenticated, required: Role, request: FastifyRequest): Promise<never> {
    await this.audit.denied(
      authenticated.principal,
      { role: required },
      { route: routeOf(request), ip: request.ip, keyPrefix: authenticated.keyPrefix },
    );
    throw new PermissionDeniedError(`This route needs the ${required} role or higher`, AuthErrorCode.RoleTooLow, {
      requiredRole: required,
      role: authenticated.principal.role,
    });
  }

  /** Audits a refused credential and counts it (against the client IP, or the key naming a foreign zone). */
  private async refuse(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<never> {
    const route = routeOf(request);
    if (error instanceof AuthenticationFailedError) {
      await this.audit.failure(error.reason, {
        route,
        ip: request.ip,
        keyPrefix: apiKeyPrefixOf(request.headers.authorization),
      });
      await this.limits.enforceForClient(request.ip, reply);
    } else if (error instanceof ZoneForbiddenError) {
      await this.audit.denied(
        error.principal,
        { zoneId: error.requestedZoneId },
        { route, ip: request.ip, keyPrefix: error.authenticated.keyPrefix },
      );
      // The credential is valid: the refusal counts against its key like any request.
      await this.limits.enforceForKey(error.authenticated, reply);
    }
    throw error;
  }
}
