import { isUuid } from '@nexus/core';
import { InvalidZoneError } from '../rebac.errors';

/**
 * Zone ids are UUIDs in canonical lower-case form (as PostgreSQL prints them; the
 * zones table belongs to auth). Anything else is refused before any query, so one
 * zone can never be named two ways (caches are keyed by the text).
 */
export function assertZoneId(zoneId: unknown): asserts zoneId is string {
  if (!isUuid(zoneId) || zoneId !== zoneId.toLowerCase()) throw new InvalidZoneError(zoneId);
}
