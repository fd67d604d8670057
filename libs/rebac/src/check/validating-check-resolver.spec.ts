import { RecordingResolver, ask, rejection, zoneAt } from '../../test/pipeline-fixtures';
import type { CheckInput } from '../engine/rebac-engine';
import { ValidatingCheckResolver } from './validating-check-resolver';

describe('ValidatingCheckResolver', () => {
  const zone = zoneAt();

  it('passes the check on normalised: no empty subject relation, no extra fields', async () => {
    const next = new RecordingResolver();
    const raw = {
      ...ask('1', 'viewer', 'anne'),
      subject: { type: 'user', id: 'anne', relation: '' },
      extra: 1,
    };
    expect(await new ValidatingCheckResolver(next).check({ zone, check: raw })).toBe(true);
    expect(next.received.map((r) => r.check)).toEqual([
      {
        object: { type: 'document', id: '1' },
        relation: 'viewer',
        subject: { type: 'user', id: 'anne' },
        contextualTuples: undefined,
      },
    ]);
  });

  it.each([
    ['no check at all', null],
    ['a subject without id', { ...ask('1', 'viewer', 'anne'), subject: { type: 'user' } }],
    ['an invalid relation name', ask('1', 'view er', 'anne')],
    ['a wildcard object id', ask('*', 'viewer', 'anne')],
    [
      'contextual tuples that are not an array',
      ask('1', 'viewer', 'anne', { contextualTuples: {} as never }),
    ],
  ])('refuses %s with VALIDATION_FAILED, never reaching the next stage', async (_label, check) => {
    const next = new RecordingResolver();
    const error = await rejection(
      new ValidatingCheckResolver(next).check({ zone, check: check as CheckInput }),
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(next.received).toHaveLength(0);
  });

  it('refuses what the zone model cannot evaluate, with its typed error', async () => {
    const next = new RecordingResolver();
    const resolver = new ValidatingCheckResolver(next);
    expect(await rejection(resolver.check({ zone, check: ask('1', 'admin', 'anne') }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const unknownType = { ...ask('1', 'viewer', 'anne'), object: { type: 'planet', id: 'x' } };
    expect(await rejection(resolver.check({ zone, check: unknownType }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const misfit = ask('1', 'viewer', 'anne', {
      contextualTuples: [
        { object: { type: 'document', id: '1' }, relation: 'owner', subject: { type: 'user', id: '*' } },
      ],
    });
    expect(await rejection(resolver.check({ zone, check: misfit }))).toMatchObject({ code: 'INVALID_TUPLE' });
    expect(next.received).toHaveLength(0);
  });
});
