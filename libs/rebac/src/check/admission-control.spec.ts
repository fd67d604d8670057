import { ask, rejection, zoneAt } from '../../test/pipeline-fixtures';
import type { CheckInput } from '../engine/rebac-engine';
import { RebacErrorCode, RebacOverloadedError } from '../rebac.errors';
import type { ResolvedZone } from '../zone/zone-resolver';
import type { AdmissionLimits } from './admission-control';
import { AdmissionControl } from './admission-control';
import type { BatchCheckEvaluator } from './coalescing-check-resolver';
import { MAX_COALESCED_CHECKS } from './coalescing-check-resolver';

const flush = () => new Promise((resolve) => setImmediate(resolve));

interface Evaluation {
  zone: ResolvedZone;
  users: string[];
  finish: () => void;
  fail: (reason: Error) => void;
}

/** An evaluator whose evaluations stay running until the test finishes or fails them; `yes*` users are allowed. */
function heldEvaluator() {
  const started: Evaluation[] = [];
  let running = 0;
  let mostRunning = 0;
  const evaluator: BatchCheckEvaluator = {
    checkMany: (zone, checks: readonly CheckInput[]) =>
      new Promise((resolve, reject) => {
        running++;
        mostRunning = Math.max(mostRunning, running);
        const done = () => running--;
        started.push({
          zone,
          users: checks.map((check) => check.subject.id),
          finish: () => {
            done();
            resolve(
              checks.map((check) => ({ status: 'fulfilled', value: check.subject.id.startsWith('yes') })),
            );
          },
          fail: (reason) => {
            done();
            reject(reason);
          },
        });
      }),
  };
  return { evaluator, started, mostRunning: () => mostRunning };
}

function admission(limits: Partial<AdmissionLimits> = {}) {
  const held = heldEvaluator();
  const control = new AdmissionControl(
    { maxConcurrentEvaluations: 2, maxQueuedChecks: 3, retryAfterSeconds: 1, ...limits },
    held.evaluator,
  );
  return { ...held, control };
}

const zone = zoneAt();
const users = (settled: PromiseSettledResult<boolean>[]) =>
  settled.map((result) => (result.status === 'fulfilled' ? result.value : 'error'));

describe('AdmissionControl: bounded evaluations, a bounded wait queue, 503 past it', () => {
  it('runs at most maxConcurrentEvaluations at once; the rest wait', async () => {
    const { control, started, mostRunning } = admission({ maxConcurrentEvaluations: 2, maxQueuedChecks: 10 });
    const answers = ['yes1', 'no2', 'yes3', 'no4'].map((user) =>
      control.checkMany(zone, [ask('1', 'viewer', user)]),
    );
    await flush();
    expect(started.map((evaluation) => evaluation.users)).toEqual([['yes1'], ['no2']]);

    started[0]!.finish();
    await flush();
    // The two waiting evaluations share a zone state: one evaluation answers both.
    expect(started.map((evaluation) => evaluation.users)).toEqual([['yes1'], ['no2'], ['yes3', 'no4']]);
    started[1]!.finish();
    started[2]!.finish();
    expect((await Promise.all(answers)).map(users)).toEqual([[true], [false], [true], [false]]);
    expect(mostRunning()).toBe(2);
  });

  it('queues checks up to maxQueuedChecks; past it fails fast with a typed 503 carrying retryAfterSeconds', async () => {
    const { control, started } = admission({
      maxConcurrentEvaluations: 1,
      maxQueuedChecks: 3,
      retryAfterSeconds: 2,
    });
    const running = control.checkMany(zone, [ask('1', 'viewer', 'yes0')]);
    const queued = control.checkMany(zone, [ask('1', 'viewer', 'yes1'), ask('1', 'viewer', 'no2')]);
    const alsoQueued = control.checkMany(zone, [ask('1', 'viewer', 'yes3')]);
    const shed = await rejection(control.checkMany(zone, [ask('1', 'viewer', 'yes4')]));

    expect(shed).toBeInstanceOf(RebacOverloadedError);
    expect(shed).toMatchObject({
      code: RebacErrorCode.REBAC_OVERLOADED,
      status: 503,
      details: { retryAfterSeconds: 2, maxConcurrentEvaluations: 1, maxQueuedChecks: 3 },
    });
    expect(started).toHaveLength(1);

    started[0]!.finish();
    await flush();
    started[1]!.finish();
    expect(users(await running)).toEqual([true]);
    expect(users(await queued)).toEqual([true, false]);
    expect(users(await alsoQueued)).toEqual([true]);
  });

  it('sheds a batch that would not fit in the queue as a whole, and admits smaller ones after it', async () => {
    const { control, started } = admission({ maxConcurrentEvaluations: 1, maxQueuedChecks: 2 });
    void control.checkMany(zone, [ask('1', 'viewer', 'yes0')]);
    const tooBig = ['a', 'b', 'c'].map((user) => ask('1', 'viewer', user));
    expect(await rejection(control.checkMany(zone, tooBig))).toBeInstanceOf(RebacOverloadedError);
    const fits = control.checkMany(zone, [ask('1', 'viewer', 'yes1'), ask('1', 'viewer', 'yes2')]);
    started[0]!.finish();
    await flush();
    started[1]!.finish();
    expect(users(await fits)).toEqual([true, true]);
  });

  it('with no queue, sheds whatever finds every slot busy and admits again once one frees', async () => {
    const { control, started } = admission({ maxConcurrentEvaluations: 1, maxQueuedChecks: 0 });
    const first = control.checkMany(zone, [ask('1', 'viewer', 'yes0')]);
    expect(await rejection(control.checkMany(zone, [ask('1', 'viewer', 'yes1')]))).toBeInstanceOf(
      RebacOverloadedError,
    );
    started[0]!.finish();
    expect(users(await first)).toEqual([true]);
    const after = control.checkMany(zone, [ask('1', 'viewer', 'no2')]);
    started[1]!.finish();
    expect(users(await after)).toEqual([false]);
  });

  it('releases the slot of a failed evaluation: the error reaches its checks and the queue moves on', async () => {
    const { control, started } = admission({ maxConcurrentEvaluations: 1, maxQueuedChecks: 5 });
    const failing = control.checkMany(zone, [ask('1', 'viewer', 'yes0')]);
    const waiting = control.checkMany(zone, [ask('1', 'viewer', 'yes1')]);
    const down = new Error('database down');
    started[0]!.fail(down);
    expect(await rejection(failing)).toBe(down);
    await flush();
    expect(started).toHaveLength(2);
    started[1]!.finish();
    expect(users(await waiting)).toEqual([true]);
    // Both slots' worth of work is done: a new check starts at once.
    void control.checkMany(zone, [ask('1', 'viewer', 'yes2')]);
    expect(started).toHaveLength(3);
  });

  it('fails every check of a merged evaluation when it fails, and frees the queue space they held', async () => {
    const { control, started } = admission({ maxConcurrentEvaluations: 1, maxQueuedChecks: 2 });
    void control.checkMany(zone, [ask('1', 'viewer', 'yes0')]).catch(() => undefined);
    const a = control.checkMany(zone, [ask('1', 'viewer', 'yes1')]);
    const b = control.checkMany(zone, [ask('1', 'viewer', 'yes2')]);
    started[0]!.finish();
    await flush();
    expect(started[1]!.users).toEqual(['yes1', 'yes2']);
    const down = new Error('connection reset');
    started[1]!.fail(down);
    expect(await rejection(a)).toBe(down);
    expect(await rejection(b)).toBe(down);
    // The queue is empty again: two checks fit while a third evaluation runs.
    void control.checkMany(zone, [ask('1', 'viewer', 'yes3')]);
    const queued = control.checkMany(zone, [ask('1', 'viewer', 'yes4'), ask('1', 'viewer', 'yes5')]);
    started[2]!.finish();
    await flush();
    started[3]!.finish();
    expect(users(await queued)).toEqual([true, true]);
  });

  it('merges waiting evaluations only at the same zone state and up to MAX_COALESCED_CHECKS, in arrival order', async () => {
    const { control, started } = admission({
      maxConcurrentEvaluations: 1,
      maxQueuedChecks: 10 * MAX_COALESCED_CHECKS,
    });
    const later = zoneAt({ revision: 2n });
    void control.checkMany(zone, [ask('1', 'viewer', 'yes0')]);
    const big = Array.from({ length: MAX_COALESCED_CHECKS - 1 }, (_, i) => ask('1', 'viewer', `big${i}`));
    void control.checkMany(zone, big);
    void control.checkMany(later, [ask('1', 'viewer', 'other')]);
    void control.checkMany(zone, [ask('1', 'viewer', 'fits')]);
    void control.checkMany(zone, [ask('1', 'viewer', 'over')]);

    started[0]!.finish();
    await flush();
    expect(started[1]!.users).toHaveLength(MAX_COALESCED_CHECKS);
    expect(started[1]!.users.at(-1)).toBe('fits');
    started[1]!.finish();
    await flush();
    expect(started[2]!.zone).toBe(later);
    expect(started[2]!.users).toEqual(['other']);
    started[2]!.finish();
    await flush();
    expect(started[3]!.users).toEqual(['over']);
  });
});
