import { ROLES } from '@nexus/core';
import type { Role } from '@nexus/core';

/** viewer < editor < operator < admin */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function roleAllows(held: Role, required: Role): boolean {
  return roleRank(held) >= roleRank(required);
}
