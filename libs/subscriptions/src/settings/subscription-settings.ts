import type { Provider } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { parseAllowList } from '../delivery/allow-list';
import type { AllowList } from '../delivery/allow-list';
import { parseMaxFailures } from '../retry/disable-policy';
import { parseRetrySchedule } from '../retry/retry-schedule';
import { parseRotationHours } from '../signing/secret-rotation';

/** The webhook settings, parsed once at start: a bad value stops the process with a message naming it. */
export interface SubscriptionSettings {
  /** NEXUS_WEBHOOK_ALLOW_HTTP */
  readonly allowHttp: boolean;
  /** NEXUS_WEBHOOK_ALLOW_HOSTS */
  readonly allowList: AllowList;
  /** NEXUS_WEBHOOK_ROTATION_HOURS */
  readonly rotationHours: number;
  /** NEXUS_WEBHOOK_RETRY_SCHEDULE: delay before each attempt, ms; its length is the number of attempts. */
  readonly retrySchedule: readonly number[];
  /** NEXUS_WEBHOOK_MAX_FAILURES */
  readonly maxFailures: number;
  /** NEXUS_WEBHOOK_TIMEOUT_MS */
  readonly timeoutMs: number;
}

export const SUBSCRIPTION_SETTINGS = Symbol('SUBSCRIPTION_SETTINGS');

export function subscriptionSettingsFrom(config: BaseConfig): SubscriptionSettings {
  return {
    allowHttp: config.NEXUS_WEBHOOK_ALLOW_HTTP,
    allowList: parseAllowList(config.NEXUS_WEBHOOK_ALLOW_HOSTS),
    rotationHours: parseRotationHours(config.NEXUS_WEBHOOK_ROTATION_HOURS),
    retrySchedule: parseRetrySchedule(config.NEXUS_WEBHOOK_RETRY_SCHEDULE),
    maxFailures: parseMaxFailures(config.NEXUS_WEBHOOK_MAX_FAILURES),
    timeoutMs: config.NEXUS_WEBHOOK_TIMEOUT_MS,
  };
}

export const subscriptionSettingsProvider: Provider = {
  provide: SUBSCRIPTION_SETTINGS,
  inject: [BaseConfig],
  useFactory: subscriptionSettingsFrom,
};
