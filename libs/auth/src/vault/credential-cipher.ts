import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { CredentialIntegrityError, VaultUnavailableError } from '../auth.errors';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM under NEXUS_ENCRYPTION_KEY. Each value is bound (as associated data)
 * to its credential id and field, so a ciphertext moved to another row or field
 * fails authentication just like a tampered one. Layout: version | iv | tag | data.
 */
@Injectable()
export class CredentialCipher {
  private readonly key: Buffer | null;

  constructor(config: BaseConfig) {
    this.key = config.NEXUS_ENCRYPTION_KEY ? Buffer.from(config.NEXUS_ENCRYPTION_KEY, 'base64') : null;
  }

  get enabled(): boolean {
    return this.key !== null;
  }

  encrypt(plaintext: string, boundTo: string): Buffer {
    const key = this.requireKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), data]);
  }

  decrypt(sealed: Buffer, boundTo: string, credentialId: string): string {
    const key = this.requireKey();
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
      throw new CredentialIntegrityError(credentialId);
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new CredentialIntegrityError(credentialId);
    }
  }

  private requireKey(): Buffer {
    if (!this.key) throw new VaultUnavailableError();
    return this.key;
  }
}
