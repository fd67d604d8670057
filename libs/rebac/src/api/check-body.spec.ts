import fc from 'fast-check';
import { ValidationError } from '@nexus/core';
import { CheckBodyPipe, isPlainCheck } from './check-body';

const base = {
  object: { type: 'file', id: '/a b/#c.md' },
  relation: 'viewer',
  subject: { type: 'user', id: 'anne' },
};

async function standardAccepts(body: unknown): Promise<boolean> {
  // A body the fast path refuses goes through the standard pipe.
  try {
    await new CheckBodyPipe().transform(
      JSON.parse(JSON.stringify({ ...(body as object), contextualTuples: [] })),
    );
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}

describe('the check body fast path', () => {
  it('accepts plain checks as they are', async () => {
    const body = {
      ...base,
      subject: { type: 'group', id: 'eng', relation: 'member' },
      consistency: { mode: 'at_least_as_fresh', token: 'x' },
    };
    expect(isPlainCheck(body)).toBe(true);
    expect(await new CheckBodyPipe().transform(body)).toBe(body);
  });

  it.each([
    ['a null subject', { ...base, subject: null }],
    ['a bad relation', { ...base, relation: 'a#b' }],
    ['an unknown field', { ...base, zoneId: 'x' }],
    ['a relation on the object', { ...base, object: { ...base.object, relation: 'x' } }],
    ['an empty id', { ...base, object: { type: 'file', id: '' } }],
    ['an unknown mode', { ...base, consistency: { mode: 'eventually' } }],
    ['a long token', { ...base, consistency: { mode: 'at_least_as_fresh', token: 'x'.repeat(129) } }],
    ['a null consistency', { ...base, consistency: null }],
    ['a missing subject', { object: base.object, relation: 'viewer' }],
  ])('leaves %s to the standard pipe', async (_name, body) => {
    expect(isPlainCheck(body)).toBe(false);
  });

  it('answers invalid bodies with the standard 400 and its fields', async () => {
    const failure = await new CheckBodyPipe()
      .transform({ ...base, relation: 'a#b' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).details).toMatchObject({ fields: { relation: expect.any(Array) } });
  });

  it('never accepts a body CheckRequestDto refuses', async () => {
    const name = fc.oneof(
      fc.constantFrom('file', 'user', 'viewer', 'member', 'a#b', 'x:y', '', ' '),
      fc.string({ maxLength: 4 }),
    );
    const valid = fc.constantFrom('file', 'user', 'viewer', 'member');
    const value = fc.oneof(
      { weight: 12, arbitrary: valid },
      { weight: 1, arbitrary: name },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.integer() },
    );
    const ref = fc.record({ type: value, id: value, relation: value }, { requiredKeys: ['type', 'id'] });
    const body = fc.record(
      {
        object: fc.oneof({ weight: 9, arbitrary: ref }, { weight: 1, arbitrary: value }),
        relation: value,
        subject: fc.oneof({ weight: 9, arbitrary: ref }, { weight: 1, arbitrary: value }),
        consistency: fc.oneof(
          fc.record(
            {
              mode: fc.oneof(
                fc.constantFrom('minimize_latency', 'at_least_as_fresh', 'fully_consistent'),
                value,
              ),
              token: value,
            },
            { requiredKeys: [] },
          ),
          value,
        ),
        extra: fc.constant(undefined),
      },
      { requiredKeys: ['object', 'relation', 'subject'] },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, async (candidate) => {
        const parsed: unknown = JSON.parse(JSON.stringify(candidate));
        if (!isPlainCheck(parsed)) return;
        accepted++;
        expect(await standardAccepts(parsed)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
    expect(accepted).toBeGreaterThan(10);
  });
});
