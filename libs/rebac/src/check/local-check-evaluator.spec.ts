import { tuple } from '../../test/engine-fixtures';
import { ask, zoneAt } from '../../test/pipeline-fixtures';
import { MAX_RESOLUTION_DEPTH } from '../engine/check-evaluator';
import { MemoryTupleLoader } from '../engine/memory-tuple-loader';
import type { CheckInput } from '../engine/rebac-engine';
import type { LoadRequest } from '../engine/tuple-loader';
import { ResultTooLargeError } from '../rebac.errors';
import { toRow } from '../tuple/tuple.types';
import { LocalCheckEvaluator } from './local-check-evaluator';

/** Memory tuples whose loads fail with `error` whenever they touch `document:<poisoned>`. */
class FailingLoader extends MemoryTupleLoader {
  constructor(
    tuples: string[],
    private readonly poisoned: string,
    private readonly error: () => Error,
  ) {
    super(tuples.map((t) => toRow(tuple(t))));
  }

  override async load(request: LoadRequest) {
    if (request.keys.some((key) => key.type === 'document' && key.id === this.poisoned)) throw this.error();
    return super.load(request);
  }
}

const values = (settled: PromiseSettledResult<boolean>[]) =>
  settled.map((s): unknown => (s.status === 'fulfilled' ? s.value : s.reason));

describe('LocalCheckEvaluator', () => {
  const evaluator = new LocalCheckEvaluator();

  it('answers many checks in one evaluation, contextual tuples applying to their own checks only', async () => {
    const loader = new MemoryTupleLoader(
      ['document:1#owner@user:anne', 'document:2#viewer@user:*'].map((t) => toRow(tuple(t))),
    );
    const contextualTuples = [tuple('document:3#viewer@user:bob')];
    const checks: CheckInput[] = [
      ask('1', 'viewer', 'anne'),
      ask('3', 'viewer', 'bob', { contextualTuples }),
      ask('1', 'owner', 'bob'),
      ask('2', 'viewer', 'carl'),
      ask('3', 'viewer', 'bob'),
    ];
    const settled = await evaluator.checkMany(zoneAt({}, { loader }), checks);
    expect(values(settled)).toEqual([true, true, false, true, false]);
  });

  it('settles the depth limit on its own check as RESOLUTION_TOO_COMPLEX, never as false', async () => {
    const chain = [
      'group:g0#member@user:anne',
      ...Array.from(
        { length: MAX_RESOLUTION_DEPTH + 1 },
        (_, i) => `group:g${i + 1}#member@group:g${i}#member`,
      ),
      `document:deep#viewer@group:g${MAX_RESOLUTION_DEPTH + 1}#member`,
      'document:1#viewer@user:anne',
    ];
    const settled = await evaluator.checkMany(zoneAt({}, { tuples: chain }), [
      ask('1', 'viewer', 'anne'),
      ask('deep', 'viewer', 'anne'),
    ]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: true });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { code: 'RESOLUTION_TOO_COMPLEX' } });
  });

  it('evaluates each check alone after a typed error of the batch, so it fails only its own check', async () => {
    const loader = new FailingLoader(
      ['document:1#viewer@user:anne'],
      'huge',
      () => new ResultTooLargeError(10),
    );
    const settled = await evaluator.checkMany(zoneAt({}, { loader }), [
      ask('1', 'viewer', 'anne'),
      ask('huge', 'viewer', 'anne'),
    ]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: true });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { code: 'RESULT_TOO_LARGE' } });
  });

  it('rejects the whole call on an unexpected error (the database), so every check fails closed', async () => {
    const loader = new FailingLoader(
      ['document:1#viewer@user:anne'],
      'broken',
      () => new Error('connection reset'),
    );
    await expect(
      evaluator.checkMany(zoneAt({}, { loader }), [
        ask('1', 'viewer', 'anne'),
        ask('broken', 'viewer', 'anne'),
      ]),
    ).rejects.toThrow('connection reset');
  });
});
