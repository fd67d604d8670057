import { Injectable } from '@nestjs/common';
import { RequestContext } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { AuditOutcome } from './audit-log.entity';
import { AuditLogEntry } from './audit-log.entity';

export interface AuditRecord {
  action: string;
  outcome: AuditOutcome;
  zoneId?: string | null;
  actor?: { type: string; id: string } | null;
  resource?: { type: string; id: string } | null;
  details?: Record<string, unknown>;
}

/**
 * Writes the audit log. Pass the transaction's EntityManager so the entry
 * commits (or rolls back) with the change it describes. Actor, zone and request
 * id default to the current request's Principal.
 */
@Injectable()
export class AuditLogWriter {
  constructor(private readonly dataSource: DataSource) {}

  async write(record: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<AuditLogEntry> {
    const context = RequestContext.current();
    const principal = context?.principal;
    const actor =
      record.actor !== undefined
        ? record.actor
        : principal
          ? { type: principal.subjectType, id: principal.subjectId }
          : null;
    const entry = manager.create(AuditLogEntry, {
      action: record.action,
      outcome: record.outcome,
      zoneId: record.zoneId !== undefined ? record.zoneId : (principal?.zoneId ?? null),
      actorType: actor?.type ?? null,
      actorId: actor?.id ?? null,
      resourceType: record.resource?.type ?? null,
      resourceId: record.resource?.id ?? null,
      requestId: context?.requestId ?? null,
      details: record.details ?? {},
    });
    return manager.save(AuditLogEntry, entry);
  }
}
