import { Injectable } from '@nestjs/common';
import { roleAllows } from '@nexus/auth';
import { PermissionDeniedError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { RebacErrorCode } from '../rebac.errors';
import { MAX_BATCH_CHECKS, RebacService } from '../rebac.service';
import type { RelationTuple, SubjectRef } from '../tuple/tuple.types';
import { formatObject } from '../tuple/tuple.types';

/** The relation on an object that lets a caller below operator change its tuples. */
export const OWNER_RELATION = 'owner';

/** The Principal as a rebac subject: `agent:bot-1`, `user:alice`. */
export function principalSubject(principal: Principal): SubjectRef {
  return { type: principal.subjectType, id: principal.subjectId };
}

/**
 * Who may change tuples: an operator (or higher) anywhere in its zone; anyone
 * else only when it holds `owner` on every object it writes or deletes, checked
 * fully consistently against the zone's current state. Denies when any check
 * cannot be evaluated (e.g. the object type has no owner relation).
 */
@Injectable()
export class TupleWriteGate {
  constructor(private readonly rebac: RebacService) {}

  async authorize(principal: Principal, tuples: readonly RelationTuple[]): Promise<void> {
    if (principal.superuser || roleAllows(principal.role, 'operator')) return;
    const objects = new Map<string, RelationTuple['object']>();
    for (const { object } of tuples) objects.set(formatObject(object), { type: object.type, id: object.id });
    const subject = principalSubject(principal);
    const all = [...objects.values()];
    for (let start = 0; start < all.length; start += MAX_BATCH_CHECKS) {
      const chunk = all.slice(start, start + MAX_BATCH_CHECKS);
      const { results } = await this.rebac.batchCheck(principal.zoneId, {
        checks: chunk.map((object) => ({ object, relation: OWNER_RELATION, subject })),
        consistency: { mode: 'fully_consistent' },
      });
      const denied = chunk.filter((_, index) => results[index]?.allowed !== true);
      if (denied.length > 0) {
        throw new PermissionDeniedError(
          `writing these tuples needs the operator role or the ${OWNER_RELATION} relation on every object`,
          RebacErrorCode.TUPLE_WRITE_DENIED,
          { objects: denied.slice(0, 20).map(formatObject) },
        );
      }
    }
  }
}
