// The registry of every entity the database holds. Domain libraries' entities are
// added here as they arrive: this file is the one place storage-models may import
// from a domain library (see the lint override in eslint.config.mjs).
import { ApiKey, OAuthCredential, User, Zone } from '@nexus/auth';
import { FILESYSTEM_ENTITIES } from '@nexus/filesystem';
import { Job, JobArtifact, WorkerHeartbeat } from '@nexus/jobs';
import { RebacChangeEntity, RebacModelEntity, RelationTupleEntity } from '@nexus/rebac';
import { AuditLogEntry } from './audit/audit-log.entity';

export const ALL_ENTITIES = [
  AuditLogEntry,
  Zone,
  User,
  ApiKey,
  OAuthCredential,
  RebacModelEntity,
  RelationTupleEntity,
  RebacChangeEntity,
  Job,
  JobArtifact,
  WorkerHeartbeat,
  ...FILESYSTEM_ENTITIES,
];
