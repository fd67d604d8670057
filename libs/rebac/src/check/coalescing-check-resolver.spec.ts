import { OTHER_ZONE, ask, rejection, zoneAt } from '../../test/pipeline-fixtures';
import type { CheckInput } from '../engine/rebac-engine';
import { ResolutionTooComplexError } from '../rebac.errors';
import type { ResolvedZone } from '../zone/zone-resolver';
import type { BatchCheckEvaluator } from './coalescing-check-resolver';
import { CoalescingCheckResolver, MAX_COALESCED_CHECKS } from './coalescing-check-resolver';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A fake evaluator: `yes*` users are allowed, `deep*` fail with their own typed
 * error, and a zone at revision 99 fails the whole evaluation. `hold()` keeps
 * evaluations in flight until `release()`.
 */
function fakeEvaluator() {
  const evaluations: { zone: ResolvedZone; users: string[] }[] = [];
  let gate: Promise<void> = Promise.resolve();
  let release = () => {};
  const evaluator: BatchCheckEvaluator = {
    checkMany: async (zone, checks: readonly CheckInput[]) => {
      evaluations.push({ zone, users: checks.map((c) => c.subject.id) });
      await gate;
      if (zone.state.revision === 99n) throw new Error('database down');
      return checks.map((c): PromiseSettledResult<boolean> =>
        c.subject.id.startsWith('deep')
          ? { status: 'rejected', reason: new ResolutionTooComplexError(25) }
          : { status: 'fulfilled', value: c.subject.id.startsWith('yes') },
      );
    },
  };
  return {
    evaluations,
    coalescer: new CoalescingCheckResolver(evaluator),
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

describe('CoalescingCheckResolver', () => {
  const zone = zoneAt({ revision: 5n });

  it('evaluates the checks of one turn together, each with its own answer', async () => {
    const { coalescer, evaluations } = fakeEvaluator();
    const answers = await Promise.all([
      coalescer.check({ zone, check: ask('1', 'viewer', 'yes1') }),
      coalescer.check({ zone, check: ask('1', 'viewer', 'no1') }),
      coalescer.check({ zone, check: ask('2', 'viewer', 'yes2') }),
    ]);
    expect(answers).toEqual([true, false, true]);
    expect(evaluations.map((e) => e.users)).toEqual([['yes1', 'no1', 'yes2']]);
  });

  it('evaluates identical concurrent checks once, in the same turn and while one is in flight', async () => {
    const { coalescer, evaluations, hold, release } = fakeEvaluator();
    hold();
    const first = [
      coalescer.check({ zone, check: ask('1', 'viewer', 'yes') }),
      coalescer.check({ zone: zoneAt({ revision: 5n }), check: ask('1', 'viewer', 'yes') }),
    ];
    await nextTurn(); // the evaluation has started and is held
    const joined = coalescer.check({ zone, check: ask('1', 'viewer', 'yes') });
    await nextTurn();
    expect(evaluations.map((e) => e.users)).toEqual([['yes']]);
    release();
    expect(await Promise.all([...first, joined])).toEqual([true, true, true]);
    // Settled: the same check is evaluated again (coalescing is no cache).
    expect(await coalescer.check({ zone, check: ask('1', 'viewer', 'yes') })).toBe(true);
    expect(evaluations).toHaveLength(2);
  });

  it('keeps zones, revisions, model versions and contextual tuples apart', async () => {
    const { coalescer, evaluations } = fakeEvaluator();
    const contextualTuples = [
      { object: { type: 'document', id: '1' }, relation: 'viewer', subject: { type: 'user', id: 'x' } },
    ];
    await Promise.all([
      coalescer.check({ zone, check: ask('1', 'viewer', 'a') }),
      coalescer.check({ zone, check: ask('1', 'viewer', 'a', { contextualTuples }) }),
      coalescer.check({ zone: zoneAt({ zoneId: OTHER_ZONE, revision: 5n }), check: ask('1', 'viewer', 'b') }),
      coalescer.check({ zone: zoneAt({ revision: 6n }), check: ask('1', 'viewer', 'c') }),
      coalescer.check({ zone: zoneAt({ revision: 5n, modelVersion: 2 }), check: ask('1', 'viewer', 'd') }),
    ]);
    expect(evaluations.map((e) => e.users)).toEqual([['a', 'a'], ['b'], ['c'], ['d']]);
  });

  it("settles a check's own error on that check only", async () => {
    const { coalescer } = fakeEvaluator();
    const [good, deep] = await Promise.allSettled([
      coalescer.check({ zone, check: ask('1', 'viewer', 'yes') }),
      coalescer.check({ zone, check: ask('1', 'viewer', 'deep') }),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: true });
    expect(deep).toMatchObject({ status: 'rejected', reason: { code: 'RESOLUTION_TOO_COMPLEX' } });
  });

  it('fails every check of an evaluation that fails as a whole', async () => {
    const { coalescer } = fakeEvaluator();
    const broken = zoneAt({ revision: 99n });
    const settled = await Promise.allSettled([
      coalescer.check({ zone: broken, check: ask('1', 'viewer', 'yes') }),
      coalescer.check({ zone: broken, check: ask('1', 'viewer', 'no') }),
    ]);
    expect(settled).toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
    expect(await rejection(coalescer.check({ zone: broken, check: ask('1', 'viewer', 'yes') }))).toEqual(
      new Error('database down'),
    );
  });

  it(`never puts more than ${MAX_COALESCED_CHECKS} checks in one evaluation`, async () => {
    const { coalescer, evaluations } = fakeEvaluator();
    await Promise.all(
      Array.from({ length: 2_500 }, (_, i) => coalescer.check({ zone, check: ask('1', 'viewer', `u${i}`) })),
    );
    expect(evaluations.map((e) => e.users.length)).toEqual([1_000, 1_000, 500]);
  });
});
