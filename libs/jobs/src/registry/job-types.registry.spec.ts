import { ValidationError, composeDomains } from '@nexus/core';
import { JOBS_DOMAIN } from '../jobs.domain';
import { JobsErrorCode } from '../jobs.errors';
import { INTEGRITY_AUDIT_JOB, NOOP_JOB, PRUNE_AUDIT_LOG_JOB, PRUNE_JOBS_JOB } from '../jobs/system-job-types';
import { JobTypes } from './job-types.registry';

function thrown(work: () => unknown): ValidationError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('JobTypes', () => {
  const jobTypes = new JobTypes(composeDomains([JOBS_DOMAIN]));

  it('knows the types the composed domains declare', () => {
    expect(jobTypes.names().sort()).toEqual(
      [INTEGRITY_AUDIT_JOB.type, NOOP_JOB.type, PRUNE_JOBS_JOB.type, PRUNE_AUDIT_LOG_JOB.type].sort(),
    );
    expect(jobTypes.has(NOOP_JOB.type)).toBe(true);
    expect(jobTypes.has('filesystem.gc')).toBe(false);
  });

  it('refuses an unknown type with UNKNOWN_JOB_TYPE (400), placing it in a batch when given an index', () => {
    const error = thrown(() => jobTypes.validate('filesystem.gc', {}));
    expect(error).toMatchObject({ code: JobsErrorCode.UnknownJobType, status: 400 });
    expect(error.message).toContain('filesystem.gc');
    expect(thrown(() => jobTypes.validate('nope', {}, 3))).toMatchObject({
      code: JobsErrorCode.UnknownJobType,
      message: expect.stringMatching(/^jobs\[3\]: /),
      details: { index: 3, type: 'nope' },
    });
  });

  it('refuses a payload that breaks its type’s schema, naming the property', () => {
    const error = thrown(() => jobTypes.validate(INTEGRITY_AUDIT_JOB.type, { table: 'jobs', sampleSize: 0 }));
    expect(error).toMatchObject({ code: JobsErrorCode.InvalidJobPayload, status: 400 });
    expect(error.message).toContain('sampleSize');
    expect(error.details).toMatchObject({
      type: INTEGRITY_AUDIT_JOB.type,
      problems: [expect.stringMatching(/^sampleSize: /)],
    });
    // A missing required property is named too.
    expect(thrown(() => jobTypes.validate(INTEGRITY_AUDIT_JOB.type, { sampleSize: 5 })).message).toContain(
      'table',
    );
  });

  it('refuses a property the type does not declare', () => {
    const error = thrown(() => jobTypes.validate(NOOP_JOB.type, { echo: 'hi', extra: true }));
    expect(error).toMatchObject({ code: JobsErrorCode.InvalidJobPayload, status: 400 });
    expect(error.message).toContain('extra');
  });

  it('refuses a payload that is not an object', () => {
    for (const payload of [null, 'text', 42, [1]]) {
      expect(thrown(() => jobTypes.validate(NOOP_JOB.type, payload))).toMatchObject({
        code: JobsErrorCode.InvalidJobPayload,
        status: 400,
      });
    }
  });

  it('passes a valid payload through', () => {
    const payload = { table: 'jobs', sampleSize: 10, expectedChecksum: 'a'.repeat(64) };
    expect(jobTypes.validate(INTEGRITY_AUDIT_JOB.type, payload)).toEqual(payload);
    expect(jobTypes.validate(NOOP_JOB.type, {})).toEqual({});
    expect(jobTypes.validate(PRUNE_JOBS_JOB.type, { olderThanDays: 30 })).toEqual({ olderThanDays: 30 });
  });
});
