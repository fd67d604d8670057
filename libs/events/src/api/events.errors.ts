import { ValidationError } from '@nexus/core';

/** Stable codes of the errors the events API raises on purpose. */
export const EventsErrorCode = {
  /** `after` or Last-Event-ID that is not a cursor of this API. */
  InvalidCursor: 'INVALID_CURSOR',
  /** A `types` entry no mounted domain writes. */
  UnknownEventType: 'UNKNOWN_EVENT_TYPE',
  /** A `path` filter that is not an absolute path. */
  InvalidPathFilter: 'INVALID_PATH_FILTER',
} as const;
export type EventsErrorCode = (typeof EventsErrorCode)[keyof typeof EventsErrorCode];

/** `field` is where the cursor came from: `after` or `Last-Event-ID`. */
export function invalidEventCursor(field: string, value: string): ValidationError {
  return new ValidationError(
    `${field} is not an event cursor`,
    { field, value },
    EventsErrorCode.InvalidCursor,
  );
}

/** `unknown` empty: the list named no type at all. */
export function unknownEventTypes(unknown: readonly string[]): ValidationError {
  return new ValidationError(
    unknown.length > 0
      ? `types: no mounted domain writes ${unknown.join(', ')}`
      : 'types must name at least one event type',
    { field: 'types', unknown },
    EventsErrorCode.UnknownEventType,
  );
}

export function invalidPathFilter(path: string): ValidationError {
  return new ValidationError(
    'path must be an absolute path (starting with /)',
    { field: 'path', path },
    EventsErrorCode.InvalidPathFilter,
  );
}
