import { Injectable, Logger } from '@nestjs/common';
import { PermissionDeniedError } from '@nexus/core';
import type { Principal, Role } from '@nexus/core';
import { DataSource } from 'typeorm';
import { AuthenticationFailedError } from '../auth.errors';
import { displayPrefix, hashApiKey, looksLikeApiKey } from '../keys/api-key-format';
import { ApiKey } from '../keys/api-key.entity';
import { KeyDirectory } from '../keys/key-directory';
import type { KeyRecord } from '../keys/key-directory';
import { TokenService } from '../tokens/token.service';
import { Zone } from '../zones/zone.entity';
import { roleRank } from './roles';

export interface Authenticated {
  principal: Principal;
  /** What the key allows per minute, when it overrides its role's default. */
  rateLimitPerMinute: number | null;
  keyPrefix: string;
  /** 'jwt' when the credential was an access token. */
  credential: 'api_key' | 'jwt';
}

/** Raised for a non-superuser naming a foreign zone: 403, audited as a denial. */
export class ZoneForbiddenError extends PermissionDeniedError {
  constructor(readonly principal: Principal, readonly requestedZoneId: string) {
    super('This credential may act only in its own zone', 'ZONE_FORBIDDEN');
  }
}

const LAST_USED_INTERVAL_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

  async authenticate(authorization: string | undefined, requestedZoneId: string | undefined): Promise<Authenticated> {
    const credential = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!credential) throw new AuthenticationFailedError('missing');

    const authenticated = looksLikeApiKey(credential)
      ? await this.fromApiKey(credential)
      : await this.fromAccessToken(credential);
    if (requestedZoneId && requestedZoneId !== authenticated.principal.zoneId) {
      authenticated.principal = await this.actInZone(authenticated.principal, requestedZoneId);
    }
    return authenticated;
  }

  private async fromApiKey(rawKey: string): Promise<Authenticated> {
    const record = await this.keys.findByHash(hashApiKey(rawKey));
    const key = this.usable(record);
    return {
      principal: this.principalOf(key, key.role),
      rateLimitPerMinute: key.rateLimitPerMinute,
      keyPrefix: displayPrefix(rawKey),
      credential: 'api_key',
    };
  }

  private async fromAccessToken(token: string): Promise<Authenticated> {
    const claims = this.tokens.verify(token);
    const key = this.usable(await this.keys.findById(claims.kid));
    if (key.zoneId !== claims.zid || key.subjectId !== claims.sub) throw new AuthenticationFailedError('invalid');
    // A key demoted since the token was issued: the token cannot outrank it.
    const role: Role = roleRank(claims.role) <= roleRank(key.role) ? claims.role : key.role;
    return {
      principal: this.principalOf(key, role),
      rateLimitPerMinute: key.rateLimitPerMinute,
      keyPrefix: key.keyPrefix,
      credential: 'jwt',
    };
  }

  /** The key behind a credential, if it may still be used; otherwise why not. */
  private usable(record: KeyRecord | null): ApiKey {
    if (!record) throw new AuthenticationFailedError('invalid');
    const { key } = record;
    if (key.revokedAt) throw new AuthenticationFailedError('revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new AuthenticationFailedError('expired');
    if (record.subjectDisabled) throw new AuthenticationFailedError('subjectDisabled');
    this.touch(key.id);
    return key;
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

  private async actInZone(principal: Principal, zoneId: string): Promise<Principal> {
    if (!principal.superuser) throw new ZoneForbiddenError(principal, zoneId);
    const exists = UUID.test(zoneId) && (await this.dataSource.getRepository(Zone).exists({ where: { id: zoneId } }));
    if (!exists) throw new ZoneForbiddenError(principal, zoneId);
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
