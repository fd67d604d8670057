import { CheckCache } from '../cache/check-cache';
import type { CheckInput } from '../engine/rebac-engine';
import type { ResolvedZone } from '../zone/zone-resolver';

/** One check, to be answered at one zone state. */
export interface ZoneCheck {
  zone: ResolvedZone;
  check: CheckInput;
}

/**
 * A stage of the check pipeline, after OpenFGA's layered check resolvers: each
 * stage does one thing and hands the check on. Resolves to the answer; rejects
 * with the reason when the check cannot be answered — an error is never "false".
 */
export interface CheckResolver {
  check(request: ZoneCheck): Promise<boolean>;
}

/** Which check this is within one zone state, contextual tuples aside. */
export function checkKey(input: CheckInput): string {
  const { object, relation, subject } = input;
  return CheckCache.key(object.type, object.id, relation, subject.type, subject.id, subject.relation ?? '');
}

/** Which zone state a check is answered at: checks sharing it may be evaluated together. */
export function zoneStateKey({ state }: ResolvedZone): string {
  return `${state.zoneId}\u0000${state.revision}\u0000${state.modelVersion}`;
}
