import { ConflictError, NotFoundError, ValidationError } from '@nexus/core';

/** Stable codes of the errors the subscriptions domain raises on purpose. */
export const SubscriptionsErrorCode = {
  SubscriptionNotFound: 'SUBSCRIPTION_NOT_FOUND',
  /** The URL breaks a rule of validateWebhookUrl (details.rule names it). */
  InvalidWebhookUrl: 'INVALID_WEBHOOK_URL',
  UnknownEventType: 'UNKNOWN_EVENT_TYPE',
  InvalidPattern: 'INVALID_PATTERN',
  DeliveryNotFound: 'DELIVERY_NOT_FOUND',
  DeliveryNotRetryable: 'DELIVERY_NOT_RETRYABLE',
  SubscriptionDisabled: 'SUBSCRIPTION_DISABLED',
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

export function deliveryNotFound(id: string): NotFoundError {
  return new NotFoundError(`Delivery ${id} not found`, SubscriptionsErrorCode.DeliveryNotFound, { id });
}

/** Only a message that failed or was skipped can be sent again (a pending one is under way already). */
export function deliveryNotRetryable(id: string, status: string): ConflictError {
  return new ConflictError(
    `Delivery ${id} is ${status}; only failed or skipped messages can be retried`,
    SubscriptionsErrorCode.DeliveryNotRetryable,
    { id, status },
  );
}

/** Messages go out only while the subscription is enabled. */
export function subscriptionDisabled(id: string): ConflictError {
  return new ConflictError(
    `Subscription ${id} is disabled; enable it (PATCH enabled: true) to deliver`,
    SubscriptionsErrorCode.SubscriptionDisabled,
    { id },
  );
}
