import { INTEGRITY_AUDIT_JOB, NOOP_JOB } from '../jobs/system-job-types';
import { HandlerRegistrationError, resolveHandlers } from './resolve-handlers';

describe('resolveHandlers', () => {
  const types = [NOOP_JOB.type, INTEGRITY_AUDIT_JOB.type];

  it('maps each type to its one handler', () => {
    const map = resolveHandlers(types, [
      { type: NOOP_JOB.type, name: 'A', handler: 'a' },
      { type: INTEGRITY_AUDIT_JOB.type, name: 'B', handler: 'b' },
    ]);
    expect(map.get(NOOP_JOB.type)).toBe('a');
    expect(map.get(INTEGRITY_AUDIT_JOB.type)).toBe('b');
  });

  it('refuses a type with no handler', () => {
    expect(() => resolveHandlers(types, [{ type: NOOP_JOB.type, name: 'A', handler: 'a' }])).toThrow(
      /system\.integrity_audit has no handler/,
    );
  });

  it('refuses a type with two handlers, naming both', () => {
    expect(() =>
      resolveHandlers(types, [
        { type: NOOP_JOB.type, name: 'A', handler: 'a' },
        { type: NOOP_JOB.type, name: 'A2', handler: 'a2' },
        { type: INTEGRITY_AUDIT_JOB.type, name: 'B', handler: 'b' },
      ]),
    ).toThrow(HandlerRegistrationError);
    expect(() =>
      resolveHandlers(types, [
        { type: NOOP_JOB.type, name: 'A', handler: 'a' },
        { type: NOOP_JOB.type, name: 'A2', handler: 'a2' },
        { type: INTEGRITY_AUDIT_JOB.type, name: 'B', handler: 'b' },
      ]),
    ).toThrow(/system\.noop has 2 handlers \(A, A2\)/);
  });
});
