import { deliveryIdOf, jobOptionsFor } from './job-options';

describe('BullMQ job options', () => {
  const at = new Date('2026-01-01T00:00:10Z');

  it('uses the row id for the first delivery and one id per scheduled run after', () => {
    expect(deliveryIdOf({ id: 'a', status: 'queued', attemptCount: 0, nextRunAt: at })).toBe('a');
    expect(deliveryIdOf({ id: 'a', status: 'retry_wait', attemptCount: 1, nextRunAt: at })).toBe(`a-${at.getTime()}`);
  });

  it('delays until next_run_at, never retries in BullMQ and removes finished jobs', () => {
    const options = jobOptionsFor({ id: 'a', status: 'retry_wait', attemptCount: 1, nextRunAt: at }, new Date('2026-01-01T00:00:08Z'));
    expect(options).toMatchObject({ delay: 2_000, attempts: 1, removeOnComplete: true, removeOnFail: true });
    expect(jobOptionsFor({ id: 'a', status: 'queued', attemptCount: 0, nextRunAt: at }, new Date('2026-01-02')).delay).toBe(0);
  });
});
