import { hash, randomBytes } from 'node:crypto';

/** `nx_<zone-slug>_<43+ base64url chars>`: 32 random bytes (256 bits) of secret. */
export const API_KEY_PATTERN = /^nx_([a-z0-9][a-z0-9-]{0,62})_([A-Za-z0-9_-]{43,})$/;
export const API_KEY_PREFIX = 'nx_';
const SECRET_BYTES = 32;
const DISPLAY_SECRET_CHARS = 6;

export function generateApiKey(zoneSlug: string): string {
  return `nx_${zoneSlug}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

export function looksLikeApiKey(credential: string): boolean {
  return API_KEY_PATTERN.test(credential);
}

/** SHA-256, hex. One-shot `crypto.hash`: on every authenticated request, several times cheaper than createHash. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** What lists and logs show: the zone part and a few characters of the secret. */
export function displayPrefix(key: string): string {
  const match = API_KEY_PATTERN.exec(key);
  if (!match) return 'nx_?';
  return `nx_${match[1]}_${(match[2] ?? '').slice(0, DISPLAY_SECRET_CHARS)}`;
}
