import { randomBytes } from 'node:crypto';

/** Standard Webhooks secrets are `whsec_` + base64 of the raw HMAC key. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * Key length of the secrets we issue. The spec allows 24–64 bytes; we only ever
 * parse secrets we generated ourselves, so anything else means corrupt storage.
 */
export const WEBHOOK_SECRET_BYTES = 32;

/** A new signing secret, in the form every Standard Webhooks library accepts. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(WEBHOOK_SECRET_BYTES).toString('base64');
}

/**
 * The raw HMAC key of a `whsec_` secret. Errors describe what is wrong but never
 * echo the value: it ends up in logs and job failure reasons.
 */
export function parseWebhookSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new Error(`Webhook secret must start with "${WEBHOOK_SECRET_PREFIX}"`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  // Buffer.from skips invalid characters silently; a round trip catches them.
  if (encoded.length === 0 || key.toString('base64') !== encoded) {
    throw new Error('Webhook secret is not valid base64 after the prefix');
  }
  if (key.length !== WEBHOOK_SECRET_BYTES) {
    throw new Error(`Webhook secret must encode ${WEBHOOK_SECRET_BYTES} bytes, not ${key.length}`);
  }
  return key;
}
