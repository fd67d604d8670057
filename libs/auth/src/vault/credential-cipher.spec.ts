import { randomBytes } from 'node:crypto';
import { ApiConfig, loadConfig } from '@nexus/core';
import { CredentialIntegrityError, VaultUnavailableError } from '../auth.errors';
import { CredentialCipher } from './credential-cipher';

const KEY = randomBytes(32).toString('base64');
const cipherWith = (key: string | undefined) =>
  new CredentialCipher(loadConfig(ApiConfig, key ? { NEXUS_ENCRYPTION_KEY: key } : {}));
const BOUND = 'oauth_credentials:4b0e3a9e-0000-4000-8000-000000000001:access';

describe('CredentialCipher (AES-256-GCM)', () => {
  const cipher = cipherWith(KEY);

  it('round-trips text, including non-ASCII and long values', () => {
    for (const plaintext of ['gho_abc123', 'ü日本🔑', 'x'.repeat(16_384)]) {
      expect(cipher.decrypt(cipher.encrypt(plaintext, BOUND), BOUND, 'id')).toBe(plaintext);
    }
  });

  it('does not contain the plaintext and uses a fresh IV each time', () => {
    const a = cipher.encrypt('the-plaintext-secret', BOUND);
    const b = cipher.encrypt('the-plaintext-secret', BOUND);
    expect(a.toString('latin1')).not.toContain('the-plaintext-secret');
    expect(a.equals(b)).toBe(false);
    // version | 12-byte iv | 16-byte tag | data
    expect(a[0]).toBe(1);
    expect(a.length).toBe(1 + 12 + 16 + 'the-plaintext-secret'.length);
  });

  it.each([
    ['the version byte', 0],
    ['the IV', 5],
    ['the tag', 1 + 12 + 3],
    ['the data', 1 + 12 + 16 + 2],
  ])('refuses a value with a flipped bit in %s', (_label, index) => {
    const sealed = cipher.encrypt('secret-token', BOUND);
    sealed[index] = sealed[index]! ^ 0x01;
    expect(() => cipher.decrypt(sealed, BOUND, 'cred-1')).toThrow(CredentialIntegrityError);
  });

  it('refuses a value moved to another credential or field (associated data)', () => {
    const sealed = cipher.encrypt('secret-token', BOUND);
    expect(() => cipher.decrypt(sealed, BOUND.replace('0001', '0002'), 'x')).toThrow(
      CredentialIntegrityError,
    );
    expect(() => cipher.decrypt(sealed, BOUND.replace(':access', ':refresh'), 'x')).toThrow(
      CredentialIntegrityError,
    );
  });

  it('refuses a value sealed under another key', () => {
    const sealed = cipherWith(randomBytes(32).toString('base64')).encrypt('secret-token', BOUND);
    expect(() => cipher.decrypt(sealed, BOUND, 'x')).toThrow(CredentialIntegrityError);
  });

  it.each([0, 1, 13, 28, 29 + 3])('refuses a value truncated to %i bytes', (length) => {
    const sealed = cipher.encrypt('secret-token', BOUND);
    expect(() => cipher.decrypt(sealed.subarray(0, length), BOUND, 'x')).toThrow(CredentialIntegrityError);
  });

  it('refuses a value with bytes appended', () => {
    const sealed = cipher.encrypt('secret-token', BOUND);
    expect(() => cipher.decrypt(Buffer.concat([sealed, Buffer.from([0])]), BOUND, 'x')).toThrow(
      CredentialIntegrityError,
    );
  });

  it('names the credential, never the plaintext, in the integrity error', () => {
    const sealed = cipher.encrypt('secret-token', BOUND);
    sealed[sealed.length - 1] = sealed[sealed.length - 1]! ^ 0xff;
    try {
      cipher.decrypt(sealed, BOUND, 'cred-42');
      throw new Error('decrypt accepted a tampered value');
    } catch (error) {
      expect(error).toBeInstanceOf(CredentialIntegrityError);
      expect((error as CredentialIntegrityError).status).toBe(500);
      expect((error as CredentialIntegrityError).details).toEqual({ credentialId: 'cred-42' });
      expect(JSON.stringify(error)).not.toContain('secret');
    }
  });

  it('without NEXUS_ENCRYPTION_KEY is disabled and says which variable to set', () => {
    const disabled = cipherWith(undefined);
    expect(disabled.enabled).toBe(false);
    expect(() => disabled.encrypt('x', BOUND)).toThrow(VaultUnavailableError);
    expect(() => disabled.decrypt(Buffer.alloc(40), BOUND, 'x')).toThrow(/NEXUS_ENCRYPTION_KEY/);
  });
});
