import { InvalidZoneError } from '../rebac.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Zone ids are UUIDs in canonical lower-case form (as PostgreSQL prints them; the
 * zones table belongs to auth). Anything else is refused before any query, so one
 * zone can never be named two ways (caches are keyed by the text).
 */
export function assertZoneId(zoneId: unknown): asserts zoneId is string {
  if (typeof zoneId !== 'string' || !UUID.test(zoneId)) throw new InvalidZoneError(zoneId);
}
