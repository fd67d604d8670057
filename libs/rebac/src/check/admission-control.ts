import type { CheckInput } from '../engine/rebac-engine';
import { RebacOverloadedError } from '../rebac.errors';
import type { ResolvedZone } from '../zone/zone-resolver';
import { zoneStateKey } from './check-resolver';
import type { BatchCheckEvaluator } from './coalescing-check-resolver';
import { MAX_COALESCED_CHECKS } from './coalescing-check-resolver';

/** How much evaluation work one process takes on at once. */
export interface AdmissionLimits {
  /** Evaluations running at once (each holds at most one pool connection at a time). */
  maxConcurrentEvaluations: number;
  /** Checks waiting for a free evaluation; past this a check is shed. */
  maxQueuedChecks: number;
  /** What a shed check tells its caller to wait before retrying. */
  retryAfterSeconds: number;
}

type Settled = PromiseSettledResult<boolean>;

interface Queued {
  zone: ResolvedZone;
  stateKey: string;
  checks: readonly CheckInput[];
  resolve: (settled: Settled[]) => void;
  reject: (reason: unknown) => void;
}

/**
 * Admission control in front of the evaluator: at most `maxConcurrentEvaluations`
 * evaluations run; further ones wait in a FIFO queue of at most `maxQueuedChecks`
 * checks; past that a check fails fast with REBAC_OVERLOADED (503, Retry-After)
 * instead of queueing without limit on the database pool. When a slot frees, the
 * first waiting evaluation starts together with every waiting one at the same
 * zone state (up to MAX_COALESCED_CHECKS checks): under load batches grow, so
 * the same statements answer more checks.
 */
export class AdmissionControl implements BatchCheckEvaluator {
  private running = 0;
  private queuedChecks = 0;
  private readonly queue: Queued[] = [];

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly next: BatchCheckEvaluator,
  ) {}

  checkMany(zone: ResolvedZone, checks: readonly CheckInput[]): Promise<Settled[]> {
    if (this.running < this.limits.maxConcurrentEvaluations) return this.run(zone, checks);
    if (this.queuedChecks + checks.length > this.limits.maxQueuedChecks) {
      const { maxConcurrentEvaluations, maxQueuedChecks, retryAfterSeconds } = this.limits;
      return Promise.reject(
        new RebacOverloadedError(retryAfterSeconds, { maxConcurrentEvaluations, maxQueuedChecks }),
      );
    }
    this.queuedChecks += checks.length;
    return new Promise((resolve, reject) =>
      this.queue.push({ zone, stateKey: zoneStateKey(zone), checks, resolve, reject }),
    );
  }

  private async run(zone: ResolvedZone, checks: readonly CheckInput[]): Promise<Settled[]> {
    this.running++;
    try {
      return await this.next.checkMany(zone, checks);
    } finally {
      // Released on success and on error alike: a failed evaluation never leaks its slot.
      this.running--;
      this.startWaiting();
    }
  }

  private startWaiting(): void {
    const group = this.takeGroup();
    if (group.length === 0) return;
    const first = group[0] as Queued;
    const checks = group.flatMap((item) => item.checks);
    this.run(first.zone, checks).then(
      (settled) => {
        let offset = 0;
        for (const item of group) {
          item.resolve(settled.slice(offset, offset + item.checks.length));
          offset += item.checks.length;
        }
      },
      (error: unknown) => {
        for (const item of group) item.reject(error);
      },
    );
  }

  /** The oldest waiting evaluation and those at its zone state that fit with it in one batch. */
  private takeGroup(): Queued[] {
    const first = this.queue.shift();
    if (!first) return [];
    const group = [first];
    let size = first.checks.length;
    for (let index = 0; index < this.queue.length && size < MAX_COALESCED_CHECKS;) {
      const item = this.queue[index] as Queued;
      if (item.stateKey === first.stateKey && size + item.checks.length <= MAX_COALESCED_CHECKS) {
        group.push(item);
        size += item.checks.length;
        this.queue.splice(index, 1);
      } else index++;
    }
    this.queuedChecks -= size;
    return group;
  }
}
