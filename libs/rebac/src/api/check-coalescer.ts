import { Injectable } from '@nestjs/common';
import { MAX_BATCH_CHECKS, RebacService } from '../rebac.service';
import type { CheckRequest, CheckResult } from '../rebac.types';

interface Waiting {
  request: CheckRequest;
  resolve: (result: CheckResult) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  zoneId: string;
  consistency: CheckRequest['consistency'];
  waiting: Waiting[];
}

/**
 * Single HTTP checks that arrive in the same event-loop turn, for the same zone
 * and consistency, are answered by one batch check (one revision, one SQL
 * statement per evaluation round) instead of one evaluation each. A check the
 * batch could not evaluate is run again alone, so it fails with its own typed
 * error; an error of the whole batch fails each of its checks. Checks with
 * contextual tuples or fully_consistent run alone.
 */
@Injectable()
export class CheckCoalescer {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly rebac: RebacService) {}

  check(zoneId: string, request: CheckRequest): Promise<CheckResult> {
    const { consistency } = request;
    if (request.contextualTuples?.length || consistency?.mode === 'fully_consistent')
      return this.rebac.check(zoneId, request);
    const key = `${zoneId}\u0000${consistency?.mode ?? ''}\u0000${consistency?.token ?? ''}`;
    let queue = this.queues.get(key);
    if (!queue) {
      const created: Queue = { zoneId, consistency, waiting: [] };
      this.queues.set(key, created);
      setImmediate(() => this.flush(key, created));
      queue = created;
    }
    const target = queue;
    const answer = new Promise<CheckResult>((resolve, reject) =>
      target.waiting.push({ request, resolve, reject }),
    );
    if (target.waiting.length >= MAX_BATCH_CHECKS) this.flush(key, target);
    return answer;
  }

  private flush(key: string, queue: Queue): void {
    if (this.queues.get(key) === queue) this.queues.delete(key);
    const { waiting } = queue;
    if (waiting.length === 0) return;
    queue.waiting = [];
    if (waiting.length === 1) {
      const [only] = waiting as [Waiting];
      this.rebac.check(queue.zoneId, only.request).then(only.resolve, only.reject);
      return;
    }
    const checks = waiting.map(({ request }) => ({
      object: request.object,
      relation: request.relation,
      subject: request.subject,
    }));
    this.rebac.batchCheck(queue.zoneId, { checks, consistency: queue.consistency }).then(
      ({ results, revision }) => {
        waiting.forEach((item, index) => {
          const result = results[index];
          if (result && !('error' in result)) item.resolve({ allowed: result.allowed, revision });
          else this.rebac.check(queue.zoneId, item.request).then(item.resolve, item.reject);
        });
      },
      (error: unknown) => {
        for (const item of waiting) item.reject(error);
      },
    );
  }
}
