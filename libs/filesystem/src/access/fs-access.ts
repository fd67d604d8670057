import { Injectable } from '@nestjs/common';
import { PermissionDeniedError, ROLES } from '@nexus/core';
import type { Principal, Role } from '@nexus/core';
import { RebacService } from '@nexus/rebac';
import type { RelationTuple, SubjectRef } from '@nexus/rebac';
import { FsErrorCode } from '../filesystem.errors';

export const FILE_OBJECT_TYPE = 'file';
export type FileRelation = 'viewer' | 'editor' | 'owner';

/** The key role a relation needs before rebac is asked: viewer keys only read. */
const MIN_ROLE: Record<FileRelation, Role> = { viewer: 'viewer', editor: 'editor', owner: 'editor' };

function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** rebac knows users and agents; service principals act only through an admin role. */
export function subjectOf(principal: Principal): SubjectRef | null {
  if (principal.subjectType === 'user' || principal.subjectType === 'agent')
    return { type: principal.subjectType, id: principal.subjectId };
  return null;
}

/** The tuples a new entry is born with: its creator owns it, and it inherits from its parent directory. */
export function creationTuples(
  principal: Principal,
  entryId: string,
  parentId: string | null,
): RelationTuple[] {
  const tuples: RelationTuple[] = [];
  const subject = subjectOf(principal);
  if (subject) tuples.push({ object: { type: FILE_OBJECT_TYPE, id: entryId }, relation: 'owner', subject });
  if (parentId)
    tuples.push({
      object: { type: FILE_OBJECT_TYPE, id: entryId },
      relation: 'parent',
      subject: { type: FILE_OBJECT_TYPE, id: parentId },
    });
  return tuples;
}

/**
 * The permission gate of every filesystem call. The key's role caps what it may
 * do; zone admins (and superusers) pass; otherwise rebac decides on the entry
 * (`file:<id>`). `/` has no tuples: every key in the zone may list it and keys
 * with editor+ may create in it. Any error denies.
 */
@Injectable()
export class FsAccess {
  constructor(private readonly rebac: RebacService) {}

  isZoneAdmin(principal: Principal): boolean {
    return principal.superuser || principal.role === 'admin';
  }

  /** Throws PermissionDeniedError unless `principal` has `relation` on the entry (`null` = `/`). */
  async require(
    principal: Principal,
    entryId: string | null,
    relation: FileRelation,
    path: string,
  ): Promise<void> {
    if (!(await this.allows(principal, entryId, relation))) {
      throw new PermissionDeniedError(`You may not ${verb(relation)} ${path}`, FsErrorCode.PermissionDenied, {
        path,
        relation,
      });
    }
  }

  async allows(principal: Principal, entryId: string | null, relation: FileRelation): Promise<boolean> {
    if (!roleAtLeast(principal.role, MIN_ROLE[relation])) return false;
    if (this.isZoneAdmin(principal)) return true;
    if (entryId === null) return relation !== 'owner';
    const subject = subjectOf(principal);
    if (!subject) return false;
    return this.rebac.isAllowed(principal.zoneId, { type: FILE_OBJECT_TYPE, id: entryId }, relation, subject);
  }

  /** Which of the entries the principal may read (list filtering): one batched rebac evaluation, not one check per entry. */
  async readable(principal: Principal, entryIds: readonly string[]): Promise<Set<string>> {
    if (this.isZoneAdmin(principal)) return new Set(entryIds);
    const subject = subjectOf(principal);
    if (!subject || entryIds.length === 0 || !roleAtLeast(principal.role, MIN_ROLE.viewer)) return new Set();
    try {
      const { results } = await this.rebac.batchCheck(principal.zoneId, {
        checks: entryIds.map((id) => ({
          object: { type: FILE_OBJECT_TYPE, id },
          relation: 'viewer',
          subject,
        })),
      });
      return new Set(entryIds.filter((_, index) => results[index]?.allowed === true));
    } catch {
      return new Set(); // fails closed, like every permission question
    }
  }
}

function verb(relation: FileRelation): string {
  return relation === 'viewer' ? 'read' : relation === 'editor' ? 'change' : 'change permissions of';
}
