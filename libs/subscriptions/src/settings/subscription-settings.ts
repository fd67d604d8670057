import type { Provider } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { parseAllowList } from '../delivery/allow-list';
import type { AllowList } from '../delivery/allow-list';
import { parseRotationHours } from '../signing/secret-rotation';

/** The webhook settings, parsed once at start: a bad value stops the process with a message naming it. */
export interface SubscriptionSettings {
  /** NEXUS_WEBHOOK_ALLOW_HTTP */
  readonly allowHttp: boolean;
  /** NEXUS_WEBHOOK_ALLOW_HOSTS */
  readonly allowList: AllowList;
  /** NEXUS_WEBHOOK_ROTATION_HOURS */
  readonly rotationHours: number;
}

export const SUBSCRIPTION_SETTINGS = Symbol('SUBSCRIPTION_SETTINGS');

export function subscriptionSettingsFrom(config: BaseConfig): SubscriptionSettings {
  return {
    allowHttp: config.NEXUS_WEBHOOK_ALLOW_HTTP,
    allowList: parseAllowList(config.NEXUS_WEBHOOK_ALLOW_HOSTS),
    rotationHours: parseRotationHours(config.NEXUS_WEBHOOK_ROTATION_HOURS),
  };
}

export const subscriptionSettingsProvider: Provider = {
  provide: SUBSCRIPTION_SETTINGS,
  inject: [BaseConfig],
  useFactory: subscriptionSettingsFrom,
};
