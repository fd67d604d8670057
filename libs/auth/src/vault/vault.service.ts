import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, isUuid } from '@nexus/core';
import type { Page, Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { StoreCredentialDto } from '../api/vault.dto';
import { VaultUnavailableError, credentialNotFound } from '../auth.errors';
import { roleAllows } from '../guard/roles';
import { CredentialCipher } from './credential-cipher';
import { OAuthCredential } from '../entities/oauth-credential.entity';

export interface RevealedCredential {
  credential: OAuthCredential;
  accessToken: string;
  refreshToken: string | null;
}

// A forged cursor must be a 400, not a PostgreSQL cast error (500): the id has to be a UUID.
const isIdCursor = (value: unknown): value is { id: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { id?: unknown }).id === 'string' &&
  isUuid((value as { id: string }).id);

const boundTo = (credentialId: string, field: 'access' | 'refresh') =>
  `oauth_credentials:${credentialId}:${field}`;

/**
 * Third-party OAuth credentials, owned by the subject that stored them. Only the
 * owner or a zone admin reads the tokens back; everyone else gets "not found".
 */
@Injectable()
export class VaultService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: CredentialCipher,
  ) {}

  /** Stores a credential, or replaces the tokens of the owner's existing one for this provider account. */
  async store(principal: Principal, input: StoreCredentialDto): Promise<OAuthCredential> {
    this.requireEnabled();
    const repository = this.dataSource.getRepository(OAuthCredential);
    const existing = await repository.findOne({
      where: {
        zoneId: principal.zoneId,
        ownerSubjectType: principal.subjectType,
        ownerSubjectId: principal.subjectId,
        provider: input.provider,
        accountId: input.accountId,
      },
    });
    const id = existing?.id ?? randomUUID();
    return repository.save({
      ...(existing ?? {}),
      id,
      zoneId: principal.zoneId,
      ownerSubjectType: principal.subjectType,
      ownerSubjectId: principal.subjectId,
      provider: input.provider,
      accountId: input.accountId,
      scopes: input.scopes ?? [],
      expiresAt: input.expiresAt ?? null,
      accessTokenCiphertext: this.cipher.encrypt(input.accessToken, boundTo(id, 'access')),
      refreshTokenCiphertext: input.refreshToken
        ? this.cipher.encrypt(input.refreshToken, boundTo(id, 'refresh'))
        : null,
    });
  }

  /** Admins list the zone's credentials, others their own; never with secrets. */
  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<OAuthCredential>> {
    this.requireEnabled();
    const query = this.dataSource
      .getRepository(OAuthCredential)
      .createQueryBuilder('credential')
      .where('credential.zoneId = :zoneId', { zoneId: principal.zoneId })
      .orderBy('credential.id', 'ASC')
      .take(limit + 1);
    if (!roleAllows(principal.role, 'admin')) {
      query
        .andWhere('credential.ownerSubjectType = :type', { type: principal.subjectType })
        .andWhere('credential.ownerSubjectId = :id', { id: principal.subjectId });
    }
    if (cursor) query.andWhere('credential.id > :after', { after: decodeCursor(cursor, isIdCursor).id });
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null };
  }

  async reveal(principal: Principal, id: string): Promise<RevealedCredential> {
    this.requireEnabled();
    const credential = await this.findVisible(principal, id);
    return {
      credential,
      accessToken: this.cipher.decrypt(credential.accessTokenCiphertext, boundTo(id, 'access'), id),
      refreshToken: credential.refreshTokenCiphertext
        ? this.cipher.decrypt(credential.refreshTokenCiphertext, boundTo(id, 'refresh'), id)
        : null,
    };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    this.requireEnabled();
    const credential = await this.findVisible(principal, id);
    await this.dataSource.getRepository(OAuthCredential).delete({ id: credential.id });
  }

  private async findVisible(principal: Principal, id: string): Promise<OAuthCredential> {
    const credential = await this.dataSource
      .getRepository(OAuthCredential)
      .findOne({ where: { id, zoneId: principal.zoneId } });
    const owner =
      credential?.ownerSubjectType === principal.subjectType &&
      credential.ownerSubjectId === principal.subjectId;
    if (!credential || !(owner || roleAllows(principal.role, 'admin'))) {
      throw credentialNotFound(id);
    }
    return credential;
  }

  private requireEnabled(): void {
    if (!this.cipher.enabled) throw new VaultUnavailableError();
  }
}
