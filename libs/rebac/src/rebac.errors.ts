import {
  DomainError,
  NotFoundError,
  PreconditionFailedError,
  ServiceUnavailableError,
  ValidationError,
} from '@nexus/core';

/** Stable codes of every error the permission engine raises on purpose. */
export const RebacErrorCode = {
  /** Bad request input (a malformed subject, a check tuple the model cannot evaluate…). */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_ZONE_ID: 'INVALID_ZONE_ID',
  TYPE_NOT_FOUND: 'TYPE_NOT_FOUND',
  RELATION_NOT_FOUND: 'RELATION_NOT_FOUND',
  INVALID_TUPLE: 'INVALID_TUPLE',
  MODEL_VALIDATION_FAILED: 'MODEL_VALIDATION_FAILED',
  CONDITIONS_NOT_SUPPORTED: 'CONDITIONS_NOT_SUPPORTED',
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  RESOLUTION_TOO_COMPLEX: 'RESOLUTION_TOO_COMPLEX',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  INVALID_REVISION_TOKEN: 'INVALID_REVISION_TOKEN',
  TOO_MANY_ITEMS: 'TOO_MANY_ITEMS',
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  REBAC_UNAVAILABLE: 'REBAC_UNAVAILABLE',
  /** Every evaluation slot is busy and the wait queue is full: retry after the given seconds. */
  REBAC_OVERLOADED: 'REBAC_OVERLOADED',
  /** A check said no (assertAllowed). */
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  /** Writing tuples on objects the caller does not own, below the operator role. */
  TUPLE_WRITE_DENIED: 'TUPLE_WRITE_DENIED',
} as const;
export type RebacErrorCode = (typeof RebacErrorCode)[keyof typeof RebacErrorCode];

/** A request the engine cannot answer as asked (generic validation, OpenFGA's 2000). */
export class RebacValidationError extends ValidationError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, RebacErrorCode.VALIDATION_FAILED);
  }
}

export class InvalidZoneError extends ValidationError {
  constructor(zoneId: unknown) {
    super(
      'zoneId must be a UUID',
      { zoneId: typeof zoneId === 'string' ? zoneId : String(zoneId) },
      RebacErrorCode.INVALID_ZONE_ID,
    );
  }
}

export class TypeNotFoundError extends ValidationError {
  constructor(type: string) {
    super(
      `type '${type}' is not defined in the authorization model`,
      { type },
      RebacErrorCode.TYPE_NOT_FOUND,
    );
  }
}

export class RelationNotFoundError extends ValidationError {
  constructor(type: string, relation: string) {
    super(
      `relation '${type}#${relation}' is not defined in the authorization model`,
      { type, relation },
      RebacErrorCode.RELATION_NOT_FOUND,
    );
  }
}

/** A tuple (written or contextual) that the authorization model does not allow. */
export class InvalidTupleError extends ValidationError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, RebacErrorCode.INVALID_TUPLE);
  }
}

export class ModelValidationError extends ValidationError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, RebacErrorCode.MODEL_VALIDATION_FAILED);
  }
}

/** CEL conditions are not evaluated yet, so models that declare them are refused. */
export class ConditionsNotSupportedError extends ValidationError {
  constructor(details?: Record<string, unknown>) {
    super(
      'authorization models with conditions are not supported yet',
      details,
      RebacErrorCode.CONDITIONS_NOT_SUPPORTED,
    );
  }
}

export class ModelNotFoundError extends NotFoundError {
  constructor(zoneId: string, version?: number) {
    super(
      version === undefined
        ? `zone ${zoneId} has no authorization model`
        : `model version ${version} not found`,
      RebacErrorCode.MODEL_NOT_FOUND,
      { zoneId, version },
    );
  }
}

/** Evaluation needed more than the depth limit of nested resolutions (never answered as "false"). */
export class ResolutionTooComplexError extends DomainError {
  constructor(limit: number) {
    super(RebacErrorCode.RESOLUTION_TOO_COMPLEX, `resolution exceeded the depth limit of ${limit}`, 422, {
      limit,
    });
  }
}

export class RebacPreconditionFailedError extends PreconditionFailedError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, RebacErrorCode.PRECONDITION_FAILED, details);
  }
}

export class InvalidRevisionTokenError extends ValidationError {
  constructor(token: string) {
    super('not a valid revision token', { token }, RebacErrorCode.INVALID_REVISION_TOKEN);
  }
}

export class TooManyItemsError extends ValidationError {
  constructor(what: string, limit: number, actual: number) {
    super(
      `at most ${limit} ${what} per request (got ${actual})`,
      { limit, actual },
      RebacErrorCode.TOO_MANY_ITEMS,
    );
  }
}

/** A list result larger than the engine will compute: an error, never a silent truncation. */
export class ResultTooLargeError extends DomainError {
  constructor(limit: number) {
    super(
      RebacErrorCode.RESULT_TOO_LARGE,
      `the result has more than ${limit} entries; narrow the request`,
      422,
      {
        limit,
      },
    );
  }
}

/** The engine could not evaluate (database down, internal fault): callers must deny. */
export class RebacUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super(RebacErrorCode.REBAC_UNAVAILABLE, 'the permission engine is unavailable', 503);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/**
 * Shed by admission control: every evaluation slot is busy and the wait queue
 * is full. A 503 with Retry-After, never an answer: callers that gate deny.
 */
export class RebacOverloadedError extends ServiceUnavailableError {
  constructor(
    retryAfterSeconds: number,
    limits: { maxConcurrentEvaluations: number; maxQueuedChecks: number },
  ) {
    super(
      'the permission engine is overloaded; retry later',
      { retryAfterSeconds, ...limits },
      RebacErrorCode.REBAC_OVERLOADED,
    );
  }
}
