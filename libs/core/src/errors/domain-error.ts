/**
 * Base of every error the domain throws on purpose. `code` is a stable string
 * clients may branch on; `status` is the HTTP status the exception filter answers.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>, code = 'VALIDATION_FAILED') {
    super(code, message, 400, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required', code = 'UNAUTHENTICATED') {
    super(code, message, 401);
  }
}

export class PermissionDeniedError extends DomainError {
  constructor(message = 'Permission denied', code = 'PERMISSION_DENIED', details?: Record<string, unknown>) {
    super(code, message, 403, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, code = 'NOT_FOUND', details?: Record<string, unknown>) {
    super(code, message, 404, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, code = 'CONFLICT', details?: Record<string, unknown>) {
    super(code, message, 409, details);
  }
}

export class IllegalTransitionError extends DomainError {
  constructor(entity: string, id: string, from: string, to: string) {
    super('ILLEGAL_TRANSITION', `${entity} ${id} cannot move from ${from} to ${to}`, 409, { entity, id, from, to });
  }
}

export class PreconditionFailedError extends DomainError {
  constructor(message: string, code = 'PRECONDITION_FAILED', details?: Record<string, unknown>) {
    super(code, message, 412, details);
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('PAYLOAD_TOO_LARGE', message, 413, details);
  }
}

export class LockedError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('LOCKED', message, 423, details);
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Rate limit exceeded; retry after ${retryAfterSeconds} s`, 429, { retryAfterSeconds });
  }
}

/** 503. With `details.retryAfterSeconds` the HTTP answer carries Retry-After (a shed request, not a fault). */
export class ServiceUnavailableError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>, code = 'SERVICE_UNAVAILABLE') {
    super(code, message, 503, details);
  }
}
