/** Written when the system disables a subscription (410, or past its failure limits). */
export const SUBSCRIPTION_DISABLED_EVENT = 'subscription.disabled';

export const SUBSCRIPTION_EVENT_TYPES = [SUBSCRIPTION_DISABLED_EVENT] as const;
