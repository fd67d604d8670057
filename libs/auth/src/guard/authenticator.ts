import { Injectable, Logger } from '@nestjs/common';
import { PermissionDeniedError, isUuid } from '@nexus/core';
import type { Principal, Role } from '@nexus/core';
import { DataSource } from 'typeorm';
import { AuthErrorCode, AuthenticationFailedError } from '../auth.errors';
import type { AuthFailureReason } from '../auth.errors';
import { API_KEY_PREFIX, hashApiKey } from '../keys/api-key-format';
import { ApiKey } from '../entities/api-key.entity';
import { KeyDirectory } from '../keys/key-directory';
import type { KeyRecord } from '../keys/key-directory';
import { TokenService } from '../tokens/token.service';
import type { AccessTokenClaims } from '../tokens/token.service';
import { Zone } from '../entities/zone.entity';
import { roleRank } from './roles';

export interface Authenticated {
  principal: Principal;
  /** What the key allows per minute, when it overrides its role's default. */
  rateLimitPerMinute: number | null;
  keyPrefix: string;
  /** 'jwt' when the credential was an access token. */
  credential: 'api_key' | 'jwt';
}

/**
 * Raised for a non-superuser naming a foreign zone: 403, audited as a denial. It
 * carries the authenticated credential so the request still counts against its key.
 */
export class ZoneForbiddenError extends PermissionDeniedError {
  constructor(
    readonly authenticated: Authenticated,
    readonly requestedZoneId: string,
  ) {
    super('This credential may act only in its own zone', AuthErrorCode.ZoneForbidden);
  }

  get principal(): Principal {
    return this.authenticated.principal;
  }
}

const LAST_USED_INTERVAL_MS = 60_000;

/** Why a key may not be used (null: it may). */
function unusableReason(record: KeyRecord | null): AuthFailureReason | null {
  if (!record) return 'invalid';
  const { key } = record;
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return 'expired';
  if (record.subjectDisabled) return 'subjectDisabled';
  return null;
}

/**
 * Turns `Authorization: Bearer <api key | access token>` (and an optional
 * X-Nexus-Zone-ID) into a Principal, or says which class of failure it is.
 */
@Injectable()
export class Authenticator {
  private readonly logger = new Logger('Authenticator');
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly keys: KeyDirectory,
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Synchronous when the key is cached; a promise when it has to be looked up.
   * Throws AuthenticationFailedError (which class of failure) or ZoneForbiddenError.
   */
  authenticate(
    authorization: string | undefined,
    requestedZoneId: string | undefined,
  ): Authenticated | Promise<Authenticated> {
    const credential = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!credential) throw new AuthenticationFailedError('missing');

    // Routing only (no regex on the hot path): a malformed nx_ credential hashes to no key and fails as invalid.
    if (credential.startsWith(API_KEY_PREFIX)) {
      const keyHash = hashApiKey(credential);
      const cached = this.keys.cachedByHash(keyHash);
      if (cached === undefined) {
        return this.keys
          .findByHash(keyHash)
          .then((record) => this.inZone(this.fromApiKey(record), requestedZoneId));
      }
      return this.inZone(this.fromApiKey(cached), requestedZoneId);
    }
    const claims = this.tokens.verify(credential);
    const cached = this.keys.cachedById(claims.kid);
    if (cached === undefined) {
      return this.keys
        .findById(claims.kid)
        .then((record) => this.inZone(this.fromAccessToken(claims, record), requestedZoneId));
    }
    return this.inZone(this.fromAccessToken(claims, cached), requestedZoneId);
  }

  private inZone(
    authenticated: Authenticated,
    requestedZoneId: string | undefined,
  ): Authenticated | Promise<Authenticated> {
    if (!requestedZoneId || requestedZoneId === authenticated.principal.zoneId) return authenticated;
    return this.actInZone(authenticated, requestedZoneId).then((principal) => ({
      ...authenticated,
      principal,
    }));
  }

  private fromApiKey(record: KeyRecord | null): Authenticated {
    const key = this.usable(record);
    return {
      principal: this.principalOf(key, key.role),
      rateLimitPerMinute: key.rateLimitPerMinute,
      keyPrefix: key.keyPrefix,
      credential: 'api_key',
    };
  }

  private fromAccessToken(claims: AccessTokenClaims, record: KeyRecord | null): Authenticated {
    const key = this.usable(record);
    if (key.zoneId !== claims.zid || key.subjectId !== claims.sub)
      throw new AuthenticationFailedError('invalid');
    // A key demoted since the token was issued: the token cannot outrank it.
    const role: Role = roleRank(claims.role) <= roleRank(key.role) ? claims.role : key.role;
    return {
      principal: this.principalOf(key, role),
      rateLimitPerMinute: key.rateLimitPerMinute,
      keyPrefix: key.keyPrefix,
      credential: 'jwt',
    };
  }

  /**
   * Whether the key an authenticated principal came with may still be used — for
   * responses that outlive their request (an event stream re-checks it, so a
   * revocation ends it). True for a principal without a key (no credential to revoke).
   */
  async keyStillUsable(keyId: string | null): Promise<boolean> {
    if (keyId === null) return true;
    const record = this.keys.cachedById(keyId) ?? (await this.keys.findById(keyId));
    return unusableReason(record) === null;
  }

  /** The key behind a credential, if it may still be used; otherwise why not. */
  private usable(record: KeyRecord | null): ApiKey {
    const reason = unusableReason(record);
    if (reason !== null) throw new AuthenticationFailedError(reason);
    this.touch(record!.key.id);
    return record!.key;
  }

  private principalOf(key: ApiKey, role: Role): Principal {
    return {
      subjectType: key.subjectType,
      subjectId: key.subjectId,
      zoneId: key.zoneId,
      role,
      superuser: key.superuser,
      keyId: key.id,
    };
  }

  private async actInZone(authenticated: Authenticated, zoneId: string): Promise<Principal> {
    const { principal } = authenticated;
    if (!principal.superuser) throw new ZoneForbiddenError(authenticated, zoneId);
    const exists =
      isUuid(zoneId) && (await this.dataSource.getRepository(Zone).exists({ where: { id: zoneId } }));
    if (!exists) throw new ZoneForbiddenError(authenticated, zoneId);
    return { ...principal, zoneId };
  }

  /** lastUsedAt: at most one write a minute per key and process; the WHERE clause keeps processes from piling up. */
  private touch(keyId: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(keyId) ?? 0) < LAST_USED_INTERVAL_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.dataSource
      .query(
        `UPDATE api_keys SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [keyId],
      )
      .catch((error: unknown) => this.logger.warn({ msg: 'Could not record key use', keyId, err: error }));
  }
}
