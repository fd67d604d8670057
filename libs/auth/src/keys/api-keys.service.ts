import { Injectable } from '@nestjs/common';
import { ValidationError, decodeCursor, encodeCursor, isUuid } from '@nexus/core';
import type { Page, Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { CreateApiKeyDto } from '../api/api-keys.dto';
import { AuthAudit } from '../audit/auth-audit';
import {
  apiKeyNotFound,
  keyRoleTooHigh,
  superuserRequired,
  userDisabled,
  userNotFound,
} from '../auth.errors';
import { roleAllows } from '../guard/roles';
import { User } from '../entities/user.entity';
import { Zone } from '../entities/zone.entity';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-format';
import { ApiKey } from '../entities/api-key.entity';
import { KeyDirectory } from './key-directory';

export interface CreatedApiKey {
  key: string;
  record: ApiKey;
}

/** What Date#toISOString writes, and so what list() puts in its cursors. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// A forged cursor must be a 400, not a PostgreSQL cast error (500): check what it holds.
const isKeyCursor = (value: unknown): value is { at: string; id: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { at?: unknown }).at === 'string' &&
  ISO_INSTANT.test((value as { at: string }).at) &&
  typeof (value as { id?: unknown }).id === 'string' &&
  isUuid((value as { id: string }).id);

const CREATED_MS = "date_trunc('milliseconds', key.createdAt)";

/** Creating, listing and revoking a zone's API keys. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: KeyDirectory,
    private readonly audit: AuthAudit,
  ) {}

  async create(principal: Principal, input: CreateApiKeyDto): Promise<CreatedApiKey> {
    if (!principal.superuser && !roleAllows(principal.role, input.role)) {
      throw keyRoleTooHigh(principal.role, input.role);
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new ValidationError('expiresAt must be in the future', {
        fields: { expiresAt: ['must be in the future'] },
      });
    }
    const zone = await this.dataSource.getRepository(Zone).findOneOrFail({ where: { id: principal.zoneId } });
    if (input.subjectType === 'user') await this.requireActiveUser(principal.zoneId, input.subjectId);

    const key = generateApiKey(zone.name);
    const record = await this.dataSource.getRepository(ApiKey).save({
      zoneId: zone.id,
      name: input.name,
      keyHash: hashApiKey(key),
      keyPrefix: displayPrefix(key),
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      role: input.role,
      superuser: false,
      bootstrap: false,
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      createdBy: `${principal.subjectType}:${principal.subjectId}`,
    });
    await this.audit.success('key_created', principal, {
      createdKeyId: record.id,
      keyPrefix: record.keyPrefix,
      grantedRole: record.role,
    });
    return { key, record };
  }

  async list(zoneId: string, limit: number, cursor?: string): Promise<Page<ApiKey>> {
    const query = this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('key')
      .where('key.zoneId = :zoneId', { zoneId })
      // The cursor carries a JavaScript Date (milliseconds) while PostgreSQL keeps microseconds:
      // order and compare at millisecond precision, or a page repeats the previous page's last key.
      .orderBy(CREATED_MS, 'ASC')
      .addOrderBy('key.id', 'ASC')
      .take(limit + 1);
    if (cursor) {
      const after = decodeCursor(cursor, isKeyCursor);
      query.andWhere(`(${CREATED_MS}, key.id) > (:at::timestamptz, :id::uuid)`, {
        at: after.at,
        id: after.id,
      });
    }
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  /** Revoking is idempotent; the key stops working on every API process at once (≤ 1 s if Redis is away). */
  async revoke(principal: Principal, keyId: string): Promise<void> {
    const repository = this.dataSource.getRepository(ApiKey);
    const key = await repository.findOne({ where: { id: keyId, zoneId: principal.zoneId } });
    if (!key) throw apiKeyNotFound(keyId);
    if (key.superuser && !principal.superuser) {
      throw superuserRequired('revokes a superuser key');
    }
    if (!key.revokedAt) {
      await repository.update({ id: key.id }, { revokedAt: new Date() });
      await this.audit.success('key_revoked', principal, { revokedKeyId: key.id, keyPrefix: key.keyPrefix });
    }
    await this.directory.invalidate(key.id);
  }

  private async requireActiveUser(zoneId: string, userId: string): Promise<void> {
    const uuid = isUuid(userId);
    const user = uuid
      ? await this.dataSource.getRepository(User).findOne({ where: { id: userId, zoneId } })
      : null;
    if (!user) throw userNotFound(userId);
    if (user.disabled) throw userDisabled(userId);
  }
}
