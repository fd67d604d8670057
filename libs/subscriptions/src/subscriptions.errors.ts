import { NotFoundError, ValidationError } from '@nexus/core';

/** Stable codes of the errors the subscriptions domain raises on purpose. */
export const SubscriptionsErrorCode = {
  SubscriptionNotFound: 'SUBSCRIPTION_NOT_FOUND',
  /** The URL breaks a rule of validateWebhookUrl (details.rule names it). */
  InvalidWebhookUrl: 'INVALID_WEBHOOK_URL',
  UnknownEventType: 'UNKNOWN_EVENT_TYPE',
  InvalidPattern: 'INVALID_PATTERN',
} as const;
export type SubscriptionsErrorCode = (typeof SubscriptionsErrorCode)[keyof typeof SubscriptionsErrorCode];

/** Also the answer for another zone's subscription: its existence is not revealed. */
export function subscriptionNotFound(id: string): NotFoundError {
  return new NotFoundError(`Subscription ${id} not found`, SubscriptionsErrorCode.SubscriptionNotFound, {
    id,
  });
}

/** The message names the rule whichever validateWebhookUrl's wording (some of its messages already do). */
export function invalidWebhookUrl(rule: string, message: string): ValidationError {
  const named = message.includes(`(rule: ${rule})`) ? message : `${message} (rule: ${rule})`;
  return new ValidationError(
    `url: ${named}`,
    { field: 'url', rule },
    SubscriptionsErrorCode.InvalidWebhookUrl,
  );
}

export function unknownEventType(index: number, type: string, known: readonly string[]): ValidationError {
  return new ValidationError(
    `eventTypes[${index}]: "${type}" is not an event type of a mounted domain (nor *)`,
    { field: `eventTypes[${index}]`, eventType: type, known },
    SubscriptionsErrorCode.UnknownEventType,
  );
}

export function invalidPattern(index: number, reason: string): ValidationError {
  return new ValidationError(
    `patterns[${index}]: not a valid path glob (${reason})`,
    { field: `patterns[${index}]` },
    SubscriptionsErrorCode.InvalidPattern,
  );
}
