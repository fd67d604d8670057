import { parseCheckInput } from '../request-shape';
import type { CheckResolver, ZoneCheck } from './check-resolver';

/**
 * Refuses a check that is malformed or that the zone's model cannot evaluate,
 * with its typed error, before any cache or database work; passes on the
 * normalised check.
 */
export class ValidatingCheckResolver implements CheckResolver {
  constructor(private readonly next: CheckResolver) {}

  async check({ zone, check }: ZoneCheck): Promise<boolean> {
    const input = parseCheckInput(check);
    zone.engine.validateCheck(input);
    return this.next.check({ zone, check: input });
  }
}
