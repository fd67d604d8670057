import { ValidationError } from './domain-error';

/** Stable codes of the errors core's own helpers raise (the typed errors' default codes stay with their classes). */
export const CoreErrorCode = {
  /** A pagination cursor that does not decode to a position of the list it is used on. */
  InvalidCursor: 'INVALID_CURSOR',
} as const;
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

export function invalidCursor(cursor: string): ValidationError {
  return new ValidationError(
    'cursor is not a valid pagination cursor',
    { cursor },
    CoreErrorCode.InvalidCursor,
  );
}
