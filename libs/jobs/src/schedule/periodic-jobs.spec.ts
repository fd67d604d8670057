import { INTEGRITY_AUDIT_JOB, PRUNE_JOBS_JOB } from '../jobs/system-job-types';
import { periodicJobKey } from './periodic-jobs';

describe('periodicJobKey', () => {
  it('is the same for every moment of one interval and differs for the next', () => {
    const start = 60_000 * 1000;
    expect(periodicJobKey(PRUNE_JOBS_JOB.type, 60_000, start)).toBe(
      periodicJobKey(PRUNE_JOBS_JOB.type, 60_000, start + 59_999),
    );
    expect(periodicJobKey(PRUNE_JOBS_JOB.type, 60_000, start)).not.toBe(
      periodicJobKey(PRUNE_JOBS_JOB.type, 60_000, start + 60_000),
    );
  });

  it('differs between job types and interval lengths', () => {
    expect(periodicJobKey(PRUNE_JOBS_JOB.type, 60_000, 0)).not.toBe(
      periodicJobKey(INTEGRITY_AUDIT_JOB.type, 60_000, 0),
    );
    expect(periodicJobKey(INTEGRITY_AUDIT_JOB.type, 60_000, 0)).not.toBe(
      periodicJobKey(INTEGRITY_AUDIT_JOB.type, 3_600_000, 0),
    );
    expect(periodicJobKey(INTEGRITY_AUDIT_JOB.type, 60_000, 0)).toMatch(/^[\x21-\x7e]{1,255}$/);
  });
});
