import { ApiConfig, loadConfig } from '@nexus/core';
import { subscriptionSettingsFrom } from './subscription-settings';

const settings = (env: Record<string, string>) => subscriptionSettingsFrom(loadConfig(ApiConfig, env));

describe('subscriptionSettingsFrom', () => {
  it('defaults: https only, no allow list, 24 h rotation', () => {
    const parsed = settings({});

    expect(parsed.allowHttp).toBe(false);
    expect(parsed.allowList.hosts.size + parsed.allowList.cidrs.length).toBe(0);
    expect(parsed.rotationHours).toBe(24);
    expect(parsed.retrySchedule).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(parsed.maxFailures).toBe(20);
    expect(parsed.timeoutMs).toBe(15_000);
  });

  it('reads the retry schedule, failure limit and timeout', () => {
    const parsed = settings({
      NEXUS_WEBHOOK_RETRY_SCHEDULE: '0, 200ms, 1s',
      NEXUS_WEBHOOK_MAX_FAILURES: '3',
      NEXUS_WEBHOOK_TIMEOUT_MS: '2000',
    });

    expect(parsed.retrySchedule).toEqual([0, 200, 1_000]);
    expect(parsed.maxFailures).toBe(3);
    expect(parsed.timeoutMs).toBe(2_000);
    expect(() => settings({ NEXUS_WEBHOOK_RETRY_SCHEDULE: '5000' })).toThrow(/entry 1 "5000" needs a unit/);
    expect(() => settings({ NEXUS_WEBHOOK_MAX_FAILURES: 'none' })).toThrow(/NEXUS_WEBHOOK_MAX_FAILURES/);
  });

  it('reads the three variables', () => {
    const parsed = settings({
      NEXUS_WEBHOOK_ALLOW_HTTP: 'true',
      NEXUS_WEBHOOK_ALLOW_HOSTS: 'Receiver.Internal, 10.0.0.0/8',
      NEXUS_WEBHOOK_ROTATION_HOURS: '1.5',
    });

    expect(parsed.allowHttp).toBe(true);
    expect([...parsed.allowList.hosts]).toEqual(['receiver.internal']);
    expect(parsed.allowList.cidrs).toHaveLength(1);
    expect(parsed.rotationHours).toBe(1.5);
  });

  it.each([
    [{ NEXUS_WEBHOOK_ALLOW_HTTP: 'maybe' }, /NEXUS_WEBHOOK_ALLOW_HTTP must be true or false/],
    [{ NEXUS_WEBHOOK_ROTATION_HOURS: 'a day' }, /NEXUS_WEBHOOK_ROTATION_HOURS must be a number of hours/],
    [
      { NEXUS_WEBHOOK_ROTATION_HOURS: '1000' },
      /NEXUS_WEBHOOK_ROTATION_HOURS: "1000" is not a number of hours/,
    ],
    [{ NEXUS_WEBHOOK_ALLOW_HOSTS: 'https://hooks.internal' }, /NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry/],
    [{ NEXUS_WEBHOOK_ALLOW_HOSTS: '10.0.0.0/99' }, /NEXUS_WEBHOOK_ALLOW_HOSTS: invalid entry "10.0.0.0\/99"/],
  ])('refuses %j at start with a message naming the variable', (env, message) => {
    expect(() => settings(env)).toThrow(message);
  });
});
