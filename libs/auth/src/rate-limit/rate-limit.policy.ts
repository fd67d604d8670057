import { Injectable } from '@nestjs/common';
import { ApiConfig, RateLimitedError } from '@nexus/core';
import type { Role } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import type { Authenticated } from '../guard/authenticator';
import { RateLimiter } from './rate-limiter';
import type { RateLimitDecision } from './rate-limiter';

/** Which limit applies to whom: per key (role default or the key's own), per client IP otherwise. */
@Injectable()
export class RateLimitPolicy {
  private readonly roleDefaults: Record<Role, number>;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: ApiConfig,
  ) {
    this.roleDefaults = {
      viewer: config.NEXUS_RATE_LIMIT_VIEWER,
      editor: config.NEXUS_RATE_LIMIT_EDITOR,
      operator: config.NEXUS_RATE_LIMIT_OPERATOR,
      admin: config.NEXUS_RATE_LIMIT_ADMIN,
    };
  }

  /** Returns a promise only when the limiter had to ask Redis; otherwise decides (or throws 429) at once. */
  enforceForKey(authenticated: Authenticated, reply: FastifyReply): Promise<void> | undefined {
    const limit = authenticated.rateLimitPerMinute ?? this.roleDefaults[authenticated.principal.role];
    const keyId = authenticated.principal.keyId ?? 'unknown';
    return this.applyWhenDecided(this.limiter.consume(`key:${keyId}`, limit), reply);
  }

  enforceForClient(ip: string, reply: FastifyReply): Promise<void> | undefined {
    return this.applyWhenDecided(
      this.limiter.consume(`ip:${ip}`, this.config.NEXUS_RATE_LIMIT_ANONYMOUS),
      reply,
    );
  }

  private applyWhenDecided(
    decision: RateLimitDecision | Promise<RateLimitDecision>,
    reply: FastifyReply,
  ): Promise<void> | undefined {
    if (decision instanceof Promise) return decision.then((decided) => this.apply(decided, reply));
    this.apply(decision, reply);
    return undefined;
  }

  private apply(decision: RateLimitDecision, reply: FastifyReply): void {
    void reply.header('X-RateLimit-Limit', String(decision.limit));
    void reply.header('X-RateLimit-Remaining', String(decision.remaining));
    void reply.header('X-RateLimit-Reset', String(decision.resetAt));
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  }
}
