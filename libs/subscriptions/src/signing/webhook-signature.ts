import { createHmac } from 'node:crypto';
import { parseWebhookSecret } from './webhook-secret';

export type WebhookSignatureHeaders = Record<
  'webhook-id' | 'webhook-timestamp' | 'webhook-signature',
  string
>;

export interface SignWebhookInput {
  /** The message's `msg_…` id; the same on every retry of the message. */
  messageId: string;
  /** When this attempt is sent (not when the event happened): receivers reject stale timestamps. */
  timestamp: Date | number;
  /** The exact body sent. A string is signed as its UTF-8 bytes, as it goes on the wire. */
  body: string | Uint8Array;
  /** `whsec_` secrets, newest first; more than one during a rotation window. */
  secrets: readonly string[];
}

/**
 * Standard Webhooks headers for one delivery attempt: `v1,<base64 HMAC-SHA256 of
 * "{id}.{timestamp}.{body}">` per secret, space-separated, so a receiver holding
 * either the old or the new secret verifies during a rotation.
 */
export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  const { messageId, body, secrets } = input;
  // A dot or whitespace would make the signed content or the header ambiguous.
  if (!/^[\w-]+$/.test(messageId))
    throw new Error('Webhook message id must be a non-empty [A-Za-z0-9_-] string');
  if (secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const timestamp = unixSeconds(input.timestamp);
  const signatures = [...new Set(secrets)].map((secret) => {
    const hmac = createHmac('sha256', parseWebhookSecret(secret));
    hmac.update(`${messageId}.${timestamp}.`, 'utf8');
    hmac.update(body);
    return `v1,${hmac.digest('base64')}`;
  });
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

function unixSeconds(timestamp: Date | number): number {
  const seconds = timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new Error('Webhook timestamp must be a valid Date or non-negative integer Unix seconds');
  }
  return seconds;
}
