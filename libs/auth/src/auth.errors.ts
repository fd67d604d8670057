import { DomainError, UnauthenticatedError } from '@nexus/core';

/** Why a credential was refused: the code tells the class of failure, never more. */
export const AUTH_FAILURE_CODES = {
  missing: 'CREDENTIALS_MISSING',
  invalid: 'CREDENTIALS_INVALID',
  revoked: 'CREDENTIALS_REVOKED',
  expired: 'CREDENTIALS_EXPIRED',
  subjectDisabled: 'SUBJECT_DISABLED',
} as const;

export type AuthFailureReason = keyof typeof AUTH_FAILURE_CODES;

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
      'VAULT_UNAVAILABLE',
      'The credential vault is disabled: set NEXUS_ENCRYPTION_KEY (32 bytes, base64)',
      503,
    );
  }
}

/** A stored secret failed authentication on decryption: tampered or corrupted, never returned. */
export class CredentialIntegrityError extends DomainError {
  constructor(credentialId: string) {
    super('CREDENTIAL_INTEGRITY_FAILED', 'The stored credential failed its integrity check', 500, {
      credentialId,
    });
  }
}
