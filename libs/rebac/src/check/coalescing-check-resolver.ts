import type { CheckInput } from '../engine/rebac-engine';
import type { ResolvedZone } from '../zone/zone-resolver';
import type { CheckResolver, ZoneCheck } from './check-resolver';
import { checkKey, zoneStateKey } from './check-resolver';

/** Evaluates checks at one zone state together: one settlement per check, in order. */
export interface BatchCheckEvaluator {
  checkMany(zone: ResolvedZone, checks: readonly CheckInput[]): Promise<PromiseSettledResult<boolean>[]>;
}

/** Bounds one evaluation (its SQL parameter arrays grow with the checks it holds). */
export const MAX_COALESCED_CHECKS = 1_000;

interface Waiting {
  check: CheckInput;
  resolve: (allowed: boolean) => void;
  reject: (reason: unknown) => void;
}

interface Batch {
  zone: ResolvedZone;
  waiting: Waiting[];
}

/**
 * Concurrent checks share evaluations. An identical check (same zone state,
 * same check, same contextual tuples) already being evaluated is joined, not
 * repeated. Checks arriving in the same event-loop turn for the same zone state
 * are evaluated as one batch (one SQL statement per evaluation round instead of
 * one per check); each still gets its own answer or its own error, and an error
 * of the whole evaluation (the database is down) fails each of them.
 */
export class CoalescingCheckResolver implements CheckResolver {
  /** Answers being computed, by zone state and check. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  /** Checks of the current turn waiting for their evaluation, by zone state. */
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly evaluator: BatchCheckEvaluator) {}

  check({ zone, check }: ZoneCheck): Promise<boolean> {
    const stateKey = zoneStateKey(zone);
    const contextual = check.contextualTuples?.length ? JSON.stringify(check.contextualTuples) : '';
    const key = `${stateKey}\u0000${checkKey(check)}\u0000${contextual}`;
    const shared = this.inFlight.get(key);
    if (shared) return shared;
    const answer = this.enqueue(stateKey, zone, check).finally(() => {
      if (this.inFlight.get(key) === answer) this.inFlight.delete(key);
    });
    this.inFlight.set(key, answer);
    return answer;
  }

  private enqueue(stateKey: string, zone: ResolvedZone, check: CheckInput): Promise<boolean> {
    let batch = this.batches.get(stateKey);
    if (!batch) {
      const created: Batch = { zone, waiting: [] };
      this.batches.set(stateKey, created);
      setImmediate(() => this.flush(stateKey, created));
      batch = created;
    }
    const target = batch;
    const answer = new Promise<boolean>((resolve, reject) => target.waiting.push({ check, resolve, reject }));
    if (target.waiting.length >= MAX_COALESCED_CHECKS) this.flush(stateKey, target);
    return answer;
  }

  private flush(stateKey: string, batch: Batch): void {
    if (this.batches.get(stateKey) === batch) this.batches.delete(stateKey);
    const { waiting } = batch;
    if (waiting.length === 0) return;
    batch.waiting = [];
    this.evaluator
      .checkMany(
        batch.zone,
        waiting.map((item) => item.check),
      )
      .then(
        (settled) => {
          waiting.forEach((item, index) => {
            const result = settled[index];
            if (result?.status === 'fulfilled') item.resolve(result.value);
            else item.reject(result ? result.reason : new Error('the evaluation returned no answer'));
          });
        },
        (error: unknown) => {
          for (const item of waiting) item.reject(error);
        },
      );
  }
}
