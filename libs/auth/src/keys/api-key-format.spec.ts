import { createHash } from 'node:crypto';
import {
  API_KEY_PATTERN,
  displayPrefix,
  generateApiKey,
  hashApiKey,
  looksLikeApiKey,
} from './api-key-format';

describe('API key format', () => {
  it('generates nx_<zone>_<secret> keys matching the pattern', () => {
    const key = generateApiKey('research-2');
    expect(key).toMatch(/^nx_research-2_[A-Za-z0-9_-]+$/);
    expect(API_KEY_PATTERN.exec(key)?.[1]).toBe('research-2');
    expect(looksLikeApiKey(key)).toBe(true);
  });

  it('carries 256 bits of secret: 43 base64url characters decoding to 32 bytes', () => {
    const secret = API_KEY_PATTERN.exec(generateApiKey('default'))?.[2] ?? '';
    expect(secret).toHaveLength(43);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey('default')));
    expect(keys.size).toBe(1000);
  });

  it.each([
    ['empty', ''],
    ['no prefix', 'default_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['short secret (42 chars)', `nx_default_${'A'.repeat(42)}`],
    ['uppercase zone', `nx_Default_${'A'.repeat(43)}`],
    ['zone starting with a dash', `nx_-zone_${'A'.repeat(43)}`],
    ['zone longer than 63', `nx_${'a'.repeat(64)}_${'A'.repeat(43)}`],
    ['non-base64url secret', `nx_default_${'A'.repeat(42)}+`],
    ['trailing newline', `nx_default_${'A'.repeat(43)}\n`],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig'],
  ])('rejects %s', (_label, candidate) => {
    expect(looksLikeApiKey(candidate)).toBe(false);
  });

  it('hashes with SHA-256 (hex), deterministically and distinctly', () => {
    const key = generateApiKey('default');
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toBe(hashApiKey(generateApiKey('default')));
  });

  it('shows only the zone and six characters of the secret', () => {
    const key = generateApiKey('ops');
    const secret = API_KEY_PATTERN.exec(key)?.[2] ?? '';
    expect(displayPrefix(key)).toBe(`nx_ops_${secret.slice(0, 6)}`);
    expect(displayPrefix(key).length).toBeLessThan(key.length - 30);
  });

  it('shows nothing of a credential that is not a key', () => {
    expect(displayPrefix('not-a-key-at-all-but-maybe-a-password')).toBe('nx_?');
  });
});
