import { AuditLogEntry } from './audit/audit-log.entity';
import { OutboxEvent } from './outbox/outbox-event.entity';
import { OutboxZonePosition } from './outbox/outbox-zone-position.entity';

/** The platform's own tables, in every process's schema whatever domains it mounts. */
export const STORAGE_ENTITIES = [AuditLogEntry, OutboxEvent, OutboxZonePosition];
