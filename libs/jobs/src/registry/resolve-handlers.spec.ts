import { JobType } from '../job-types';
import { HandlerRegistrationError, resolveHandlers } from './resolve-handlers';

describe('resolveHandlers', () => {
  const types = [JobType.Noop, JobType.IntegrityAudit];

  it('maps each type to its one handler', () => {
    const map = resolveHandlers(types, [
      { type: JobType.Noop, name: 'A', handler: 'a' },
      { type: JobType.IntegrityAudit, name: 'B', handler: 'b' },
    ]);
    expect(map.get(JobType.Noop)).toBe('a');
    expect(map.get(JobType.IntegrityAudit)).toBe('b');
  });

  it('refuses a type with no handler', () => {
    expect(() => resolveHandlers(types, [{ type: JobType.Noop, name: 'A', handler: 'a' }])).toThrow(
      /system\.integrity_audit has no handler/,
    );
  });

  it('refuses a type with two handlers, naming both', () => {
    expect(() =>
      resolveHandlers(types, [
        { type: JobType.Noop, name: 'A', handler: 'a' },
        { type: JobType.Noop, name: 'A2', handler: 'a2' },
        { type: JobType.IntegrityAudit, name: 'B', handler: 'b' },
      ]),
    ).toThrow(HandlerRegistrationError);
    expect(() =>
      resolveHandlers(types, [
        { type: JobType.Noop, name: 'A', handler: 'a' },
        { type: JobType.Noop, name: 'A2', handler: 'a2' },
        { type: JobType.IntegrityAudit, name: 'B', handler: 'b' },
      ]),
    ).toThrow(/system\.noop has 2 handlers \(A, A2\)/);
  });
});
