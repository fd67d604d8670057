import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ApiConfig, ROLES, SUBJECT_TYPES, isUuid } from '@nexus/core';
import type { Role, SubjectType } from '@nexus/core';
import jwt from 'jsonwebtoken';
import { AuthenticationFailedError } from '../auth.errors';

/** What an access token asserts; `kid` ties it to the API key it was exchanged for. */
export interface AccessTokenClaims {
  sub: string;
  st: SubjectType;
  zid: string;
  role: Role;
  kid: string;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

function isClaims(payload: unknown): payload is AccessTokenClaims {
  if (typeof payload !== 'object' || payload === null) return false;
  const claims = payload as Record<string, unknown>;
  return (
    typeof claims.sub === 'string' &&
    typeof claims.zid === 'string' &&
    // kid is looked up as a UUID column: anything else would be a database error (500), not a 401.
    typeof claims.kid === 'string' &&
    isUuid(claims.kid) &&
    (SUBJECT_TYPES as readonly unknown[]).includes(claims.st) &&
    (ROLES as readonly unknown[]).includes(claims.role)
  );
}

/** Signs and verifies access tokens (HMAC; `alg: none` and other algorithms are refused). */
@Injectable()
export class TokenService {
  private readonly logger = new Logger('TokenService');
  private readonly secret: string;

  constructor(private readonly config: ApiConfig) {
    if (config.NEXUS_JWT_SECRET) {
      this.secret = config.NEXUS_JWT_SECRET;
    } else {
      this.secret = randomBytes(48).toString('base64url');
      this.logger.warn(
        'NEXUS_JWT_SECRET is not set: access tokens are signed with a random per-process secret ' +
          'and are not accepted by other API processes or after a restart',
      );
    }
  }

  issue(claims: AccessTokenClaims): IssuedToken {
    const expiresIn = this.config.NEXUS_JWT_EXPIRY_MINUTES * 60;
    const accessToken = jwt.sign(
      { st: claims.st, zid: claims.zid, role: claims.role, kid: claims.kid },
      this.secret,
      {
        algorithm: this.config.NEXUS_JWT_ALGORITHM,
        expiresIn,
        subject: claims.sub,
        jwtid: randomUUID(),
      },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn };
  }

  verify(token: string): AccessTokenClaims {
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.secret, { algorithms: [this.config.NEXUS_JWT_ALGORITHM] });
    } catch (error) {
      throw new AuthenticationFailedError(error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid');
    }
    if (!isClaims(payload)) throw new AuthenticationFailedError('invalid');
    return payload;
  }
}
