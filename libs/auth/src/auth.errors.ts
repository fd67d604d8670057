import {
  ConflictError,
  DomainError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
} from '@nexus/core';

/** Why a credential was refused: the code tells the class of failure, never more. */
export const AUTH_FAILURE_CODES = {
  missing: 'CREDENTIALS_MISSING',
  invalid: 'CREDENTIALS_INVALID',
  revoked: 'CREDENTIALS_REVOKED',
  expired: 'CREDENTIALS_EXPIRED',
  subjectDisabled: 'SUBJECT_DISABLED',
} as const;

export type AuthFailureReason = keyof typeof AUTH_FAILURE_CODES;

/** Stable codes of every other error auth raises on purpose (refused credentials: AUTH_FAILURE_CODES). */
export const AuthErrorCode = {
  ZoneNotFound: 'ZONE_NOT_FOUND',
  ZoneExists: 'ZONE_EXISTS',
  UserNotFound: 'USER_NOT_FOUND',
  UserExists: 'USER_EXISTS',
  ApiKeyNotFound: 'API_KEY_NOT_FOUND',
  CredentialNotFound: 'CREDENTIAL_NOT_FOUND',
  SuperuserRequired: 'SUPERUSER_REQUIRED',
  /** The caller's role is below what the route, or the key it asks for, needs. */
  RoleTooLow: 'ROLE_TOO_LOW',
  /** A non-superuser credential naming a zone other than its own. */
  ZoneForbidden: 'ZONE_FORBIDDEN',
  /** An API key sent to the refresh endpoint, which takes access tokens only. */
  RefreshNeedsToken: 'REFRESH_NEEDS_TOKEN',
  VaultUnavailable: 'VAULT_UNAVAILABLE',
  CredentialIntegrityFailed: 'CREDENTIAL_INTEGRITY_FAILED',
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

const MESSAGES: Record<AuthFailureReason, string> = {
  missing: 'Authorization: Bearer <api key or access token> is required',
  invalid: 'The credential is not valid',
  revoked: 'The credential has been revoked',
  expired: 'The credential has expired',
  subjectDisabled: 'The subject of this credential is disabled',
};

export class AuthenticationFailedError extends UnauthenticatedError {
  constructor(readonly reason: AuthFailureReason) {
    super(MESSAGES[reason], AUTH_FAILURE_CODES[reason]);
  }
}

/** The vault needs NEXUS_ENCRYPTION_KEY; without it only the vault is unavailable. */
export class VaultUnavailableError extends DomainError {
  constructor() {
    super(
      AuthErrorCode.VaultUnavailable,
      'The credential vault is disabled: set NEXUS_ENCRYPTION_KEY (32 bytes, base64)',
      503,
    );
  }
}

/** A stored secret failed authentication on decryption: tampered or corrupted, never returned. */
export class CredentialIntegrityError extends DomainError {
  constructor(credentialId: string) {
    super(AuthErrorCode.CredentialIntegrityFailed, 'The stored credential failed its integrity check', 500, {
      credentialId,
    });
  }
}

/** Ids the caller may not see are answered the same way, so existence never leaks. */
export function zoneNotFound(id: string): NotFoundError {
  return new NotFoundError(`Zone ${id} not found`, AuthErrorCode.ZoneNotFound, { id });
}

export function zoneExists(name: string): ConflictError {
  return new ConflictError(`A zone named "${name}" already exists`, AuthErrorCode.ZoneExists, { name });
}

export function userNotFound(id: string): NotFoundError {
  return new NotFoundError(`User ${id} not found in this zone`, AuthErrorCode.UserNotFound, { id });
}

export function userExists(email: string): ConflictError {
  return new ConflictError(
    `A user with email ${email} already exists in this zone`,
    AuthErrorCode.UserExists,
    { email },
  );
}

/** A disabled user gets no new key: the same code as a disabled user's credential being refused. */
export function userDisabled(id: string): ConflictError {
  return new ConflictError(`User ${id} is disabled`, AUTH_FAILURE_CODES.subjectDisabled, { id });
}

export function apiKeyNotFound(id: string): NotFoundError {
  return new NotFoundError(`API key ${id} not found`, AuthErrorCode.ApiKeyNotFound, { id });
}

export function credentialNotFound(id: string): NotFoundError {
  return new NotFoundError(`Credential ${id} not found`, AuthErrorCode.CredentialNotFound, { id });
}

/** `action` completes "Only a superuser …", e.g. `creates zones`. */
export function superuserRequired(action: string): PermissionDeniedError {
  return new PermissionDeniedError(`Only a superuser ${action}`, AuthErrorCode.SuperuserRequired);
}

/** A key may not be given a role above its creator's. */
export function keyRoleTooHigh(role: string, requestedRole: string): PermissionDeniedError {
  return new PermissionDeniedError(
    'A key cannot be given a higher role than its creator holds',
    AuthErrorCode.RoleTooLow,
    { role, requestedRole },
  );
}
