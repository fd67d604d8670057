import { invalidHash } from '../filesystem.errors';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isBlobHash(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** Throws unless `hash` is a lower-case hex SHA-256, so a hash can never smuggle a path into the store. */
export function assertBlobHash(hash: unknown): asserts hash is string {
  if (!isBlobHash(hash)) {
    throw invalidHash();
  }
}

/** `cas/aa/bb/<hash>` relative to the store root. */
export function blobRelativePath(hash: string): string[] {
  assertBlobHash(hash);
  return ['cas', hash.slice(0, 2), hash.slice(2, 4), hash];
}
