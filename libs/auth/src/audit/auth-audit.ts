import { Injectable, Logger } from '@nestjs/common';
import type { Principal, Role } from '@nexus/core';
import { AuditLogWriter } from '@nexus/storage-models';
import type { AuthFailureReason } from '../auth.errors';

export interface AuthAuditContext {
  route: string;
  ip: string;
  keyPrefix?: string | null;
}

/**
 * The auth trail in the audit log: every failure and denial, and successes that
 * matter (token exchange, key creation and revocation). Details carry key
 * prefixes, roles and routes — never a secret.
 */
@Injectable()
export class AuthAudit {
  private readonly logger = new Logger('AuthAudit');

  constructor(private readonly audit: AuditLogWriter) {}

  failure(reason: AuthFailureReason, context: AuthAuditContext): Promise<void> {
    return this.record({
      action: 'auth_failure',
      outcome: 'failure',
      zoneId: null,
      actor: null,
      details: { reason, keyPrefix: context.keyPrefix ?? null, route: context.route, ip: context.ip },
    });
  }

  denied(
    principal: Principal,
    required: { role?: Role; zoneId?: string },
    context: AuthAuditContext,
  ): Promise<void> {
    return this.record({
      action: 'auth_denied',
      outcome: 'denied',
      zoneId: principal.zoneId,
      actor: { type: principal.subjectType, id: principal.subjectId },
      details: {
        keyId: principal.keyId,
        keyPrefix: context.keyPrefix ?? null,
        role: principal.role,
        requiredRole: required.role ?? null,
        requestedZoneId: required.zoneId ?? null,
        route: context.route,
      },
    });
  }

  success(action: string, principal: Principal, details: Record<string, unknown>): Promise<void> {
    return this.record({
      action: 'auth_success',
      outcome: 'success',
      zoneId: principal.zoneId,
      actor: { type: principal.subjectType, id: principal.subjectId },
      details: { event: action, keyId: principal.keyId, role: principal.role, ...details },
    });
  }

  /** Auditing never turns a request into a 500: a failed write is logged instead. */
  private async record(entry: Parameters<AuditLogWriter['write']>[0]): Promise<void> {
    try {
      await this.audit.write(entry);
    } catch (error) {
      this.logger.error({ msg: 'Could not write auth audit entry', action: entry.action, err: error });
    }
  }
}
