import { Injectable } from '@nestjs/common';
import { CredentialCipher } from '@nexus/auth';

type SecretField = 'secret' | 'previous_secret';

/** What a sealed secret is bound to: a ciphertext moved to another row or field fails to open. */
const boundTo = (subscriptionId: string, field: SecretField) => `subscription:${subscriptionId}:${field}`;

/** Seals and opens subscriptions' signing secrets with the vault's AES-256-GCM key (NEXUS_ENCRYPTION_KEY). */
@Injectable()
export class SubscriptionSecrets {
  constructor(private readonly cipher: CredentialCipher) {}

  /** False without NEXUS_ENCRYPTION_KEY: nothing can be sealed or opened. */
  get available(): boolean {
    return this.cipher.enabled;
  }

  /** Throws VaultUnavailableError (503) without NEXUS_ENCRYPTION_KEY. */
  seal(subscriptionId: string, secret: string, field: SecretField = 'secret'): Buffer {
    return this.cipher.encrypt(secret, boundTo(subscriptionId, field));
  }

  open(subscriptionId: string, sealed: Buffer, field: SecretField = 'secret'): string {
    return this.cipher.decrypt(sealed, boundTo(subscriptionId, field), subscriptionId);
  }
}
