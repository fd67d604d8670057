import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, parseWebhookSecret } from './webhook-secret';

describe('webhook secrets', () => {
  it('generates whsec_ + base64 of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(parseWebhookSecret(secret)).toEqual(Buffer.from(secret.slice(6), 'base64'));
  });

  it('generates a different secret each time', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => generateWebhookSecret()));
    expect(secrets.size).toBe(100);
  });

  it('is accepted by the Standard Webhooks library', () => {
    expect(() => new Webhook(generateWebhookSecret())).not.toThrow();
  });

  it.each([
    ['no prefix', Buffer.alloc(32, 7).toString('base64'), /must start with "whsec_"/],
    ['wrong prefix', `whsk_${Buffer.alloc(32, 7).toString('base64')}`, /must start with "whsec_"/],
    ['empty key', 'whsec_', /not valid base64/],
    ['invalid base64', `whsec_${'!'.repeat(43)}=`, /not valid base64/],
    ['base64url instead of base64', `whsec_${'-_'.repeat(21)}AA`, /not valid base64/],
    ['a short key', `whsec_${Buffer.alloc(24, 7).toString('base64')}`, /must encode 32 bytes, not 24/],
    ['a long key', `whsec_${Buffer.alloc(64, 7).toString('base64')}`, /must encode 32 bytes, not 64/],
  ])('rejects %s without echoing the secret', (_case, secret, message) => {
    let error: unknown;
    try {
      parseWebhookSecret(secret);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const text = String((error as Error).message);
    expect(text).toMatch(message);
    const key = secret.replace(/^whs[a-z]+_/, '');
    if (key.length > 0) expect(text).not.toContain(key);
    expect(text).not.toContain(secret);
  });

  it('rejects a non-string without echoing it', () => {
    expect(() => parseWebhookSecret(undefined as unknown as string)).toThrow(/must start with "whsec_"/);
  });
});
