import { RebacValidationError } from '../rebac.errors';
import type { RebacService } from '../rebac.service';
import type { BatchCheckRequest, CheckRequest } from '../rebac.types';
import { CheckCoalescer } from './check-coalescer';

const ZONE = '00000000-0000-4000-8000-000000000001';
const ask = (user: string, extra: Partial<CheckRequest> = {}): CheckRequest => ({
  object: { type: 'file', id: '/a' },
  relation: 'viewer',
  subject: { type: 'user', id: user },
  ...extra,
});

/** A fake engine: `yes*` users are allowed, `bad*` cannot be evaluated. */
function fakeRebac() {
  const batches: BatchCheckRequest[] = [];
  const singles: CheckRequest[] = [];
  const rebac = {
    check: jest.fn(async (_zone: string, request: CheckRequest) => {
      singles.push(request);
      if (request.subject.id.startsWith('bad')) throw new RebacValidationError('bad check');
      return { allowed: request.subject.id.startsWith('yes'), revision: 'single' };
    }),
    batchCheck: jest.fn(async (_zone: string, request: BatchCheckRequest) => {
      batches.push(request);
      if (request.consistency?.token === 'broken') throw new RebacValidationError('bad token');
      return {
        revision: 'batch',
        results: request.checks.map((c) =>
          c.subject.id.startsWith('bad')
            ? { allowed: false as const, error: { code: 'VALIDATION_FAILED', message: 'bad' } }
            : { allowed: c.subject.id.startsWith('yes') },
        ),
      };
    }),
  };
  return { rebac, batches, singles, coalescer: new CheckCoalescer(rebac as unknown as RebacService) };
}

describe('CheckCoalescer', () => {
  it('answers checks of the same turn with one batch, each with its own result', async () => {
    const { coalescer, batches, singles } = fakeRebac();
    const answers = await Promise.all([
      coalescer.check(ZONE, ask('yes1')),
      coalescer.check(ZONE, ask('no1')),
      coalescer.check(ZONE, ask('yes2')),
    ]);
    expect(answers).toEqual([
      { allowed: true, revision: 'batch' },
      { allowed: false, revision: 'batch' },
      { allowed: true, revision: 'batch' },
    ]);
    expect(batches).toHaveLength(1);
    expect(singles).toHaveLength(0);
  });

  it('keeps zones and consistency tokens apart', async () => {
    const { coalescer, batches } = fakeRebac();
    const other = '00000000-0000-4000-8000-000000000002';
    const fresh = { consistency: { mode: 'at_least_as_fresh' as const, token: 't1' } };
    await Promise.all([
      coalescer.check(ZONE, ask('a')),
      coalescer.check(ZONE, ask('b')),
      coalescer.check(other, ask('c')),
      coalescer.check(other, ask('d')),
      coalescer.check(ZONE, ask('e', fresh)),
      coalescer.check(ZONE, ask('f', fresh)),
    ]);
    expect(batches.map((b) => [b.checks.map((c) => c.subject.id), b.consistency?.token])).toEqual([
      [['a', 'b'], undefined],
      [['c', 'd'], undefined],
      [['e', 'f'], 't1'],
    ]);
  });

  it('reruns a check the batch could not evaluate alone, so it fails with its own error', async () => {
    const { coalescer, singles } = fakeRebac();
    const [good, bad] = await Promise.allSettled([
      coalescer.check(ZONE, ask('yes')),
      coalescer.check(ZONE, ask('bad')),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: { allowed: true, revision: 'batch' } });
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(RebacValidationError) });
    expect(singles.map((s) => s.subject.id)).toEqual(['bad']);
  });

  it('fails every check of a batch that fails as a whole', async () => {
    const { coalescer } = fakeRebac();
    const broken = { consistency: { mode: 'at_least_as_fresh' as const, token: 'broken' } };
    const settled = await Promise.allSettled([
      coalescer.check(ZONE, ask('yes', broken)),
      coalescer.check(ZONE, ask('no', broken)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });

  it('runs a lone check, contextual tuples and fully_consistent checks alone', async () => {
    const { coalescer, batches, singles } = fakeRebac();
    expect(await coalescer.check(ZONE, ask('yes'))).toEqual({ allowed: true, revision: 'single' });
    const contextual = ask('x', {
      contextualTuples: [
        { object: { type: 'file', id: '/a' }, relation: 'viewer', subject: { type: 'user', id: 'x' } },
      ],
    });
    const full = ask('y', { consistency: { mode: 'fully_consistent' } });
    await Promise.all([coalescer.check(ZONE, contextual), coalescer.check(ZONE, full)]);
    expect(batches).toHaveLength(0);
    expect(singles).toHaveLength(3);
  });

  it('never puts more than 1,000 checks in one batch', async () => {
    const { coalescer, batches } = fakeRebac();
    await Promise.all(Array.from({ length: 2500 }, (_, i) => coalescer.check(ZONE, ask(`u${i}`))));
    expect(batches.map((b) => b.checks.length)).toEqual([1000, 1000, 500]);
  });
});
