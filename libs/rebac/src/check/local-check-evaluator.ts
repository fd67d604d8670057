import { DomainError } from '@nexus/core';
import { outcomeToAllowed } from '../engine/check-runner';
import type { CheckInput } from '../engine/rebac-engine';
import { Outcome } from '../engine/outcome';
import type { ResolvedZone } from '../zone/zone-resolver';
import type { BatchCheckEvaluator } from './coalescing-check-resolver';

type Settled = PromiseSettledResult<boolean>;

function settle(outcome: Outcome | undefined): Settled {
  try {
    return { status: 'fulfilled', value: outcomeToAllowed(outcome ?? Outcome.FALSE) };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

/**
 * The last stage: evaluates checks with the zone's engine, those sharing
 * contextual tuples in one batched evaluation. A check's own error (the depth
 * limit) settles only that check; an unexpected error (the database) rejects
 * the whole call, so every check fails closed.
 */
export class LocalCheckEvaluator implements BatchCheckEvaluator {
  async checkMany(zone: ResolvedZone, checks: readonly CheckInput[]): Promise<Settled[]> {
    const groups = new Map<string, number[]>();
    checks.forEach((check, index) => {
      const key = JSON.stringify(check.contextualTuples ?? []);
      const group = groups.get(key);
      if (group) group.push(index);
      else groups.set(key, [index]);
    });
    const settled: Settled[] = [];
    for (const indexes of groups.values()) {
      const answers = await this.evaluate(
        zone,
        indexes.map((index) => checks[index] as CheckInput),
      );
      indexes.forEach((index, i) => (settled[index] = answers[i] as Settled));
    }
    return settled;
  }

  private async evaluate(zone: ResolvedZone, checks: readonly CheckInput[]): Promise<Settled[]> {
    let outcomes: Outcome[];
    try {
      outcomes = await zone.engine.checkMany(checks, checks[0]?.contextualTuples);
    } catch (reason) {
      if (!(reason instanceof DomainError)) throw reason;
      if (checks.length === 1) return [{ status: 'rejected', reason }];
      // A typed error of the batch: evaluate each check alone so one cannot fail its neighbours.
      const alone: Settled[] = [];
      for (const check of checks) alone.push(...(await this.evaluate(zone, [check])));
      return alone;
    }
    return checks.map((_check, index) => settle(outcomes[index]));
  }
}
