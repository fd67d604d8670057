import { JobType } from '@nexus/jobs';
import { maintenanceKey } from './fs-maintenance-scheduler';

describe('maintenanceKey', () => {
  it('is the same for every moment of one interval and differs for the next', () => {
    const start = 60_000 * 1000;
    expect(maintenanceKey(JobType.FsReconcile, 60_000, start)).toBe(
      maintenanceKey(JobType.FsReconcile, 60_000, start + 59_999),
    );
    expect(maintenanceKey(JobType.FsReconcile, 60_000, start)).not.toBe(
      maintenanceKey(JobType.FsReconcile, 60_000, start + 60_000),
    );
  });

  it('differs between job types and interval lengths', () => {
    expect(maintenanceKey(JobType.FsReconcile, 60_000, 0)).not.toBe(maintenanceKey(JobType.FsGc, 60_000, 0));
    expect(maintenanceKey(JobType.FsGc, 60_000, 0)).not.toBe(maintenanceKey(JobType.FsGc, 3_600_000, 0));
    expect(maintenanceKey(JobType.FsGc, 60_000, 0)).toMatch(/^[\x21-\x7e]{1,255}$/);
  });
});
