import type { Principal } from '@nexus/core';

/** Who did it, as stored in owner/author/actor columns: `subjectType:subjectId`. */
export function actorOf(principal: Principal): string {
  return `${principal.subjectType}:${principal.subjectId}`;
}
