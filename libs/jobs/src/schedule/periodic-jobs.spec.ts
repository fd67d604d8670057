import { JobType } from '../job-types';
import { periodicJobKey } from './periodic-jobs';

describe('periodicJobKey', () => {
  it('is the same for every moment of one interval and differs for the next', () => {
    const start = 60_000 * 1000;
    expect(periodicJobKey(JobType.FsReconcile, 60_000, start)).toBe(
      periodicJobKey(JobType.FsReconcile, 60_000, start + 59_999),
    );
    expect(periodicJobKey(JobType.FsReconcile, 60_000, start)).not.toBe(
      periodicJobKey(JobType.FsReconcile, 60_000, start + 60_000),
    );
  });

  it('differs between job types and interval lengths', () => {
    expect(periodicJobKey(JobType.FsReconcile, 60_000, 0)).not.toBe(periodicJobKey(JobType.FsGc, 60_000, 0));
    expect(periodicJobKey(JobType.FsGc, 60_000, 0)).not.toBe(periodicJobKey(JobType.FsGc, 3_600_000, 0));
    expect(periodicJobKey(JobType.FsGc, 60_000, 0)).toMatch(/^[\x21-\x7e]{1,255}$/);
  });
});
