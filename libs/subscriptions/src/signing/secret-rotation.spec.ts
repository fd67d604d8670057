import { Webhook } from 'standardwebhooks';
import {
  activeSigningSecrets,
  DEFAULT_ROTATION_HOURS,
  parseRotationHours,
  previousSecretExpiry,
} from './secret-rotation';
import { generateWebhookSecret } from './webhook-secret';
import { signWebhook } from './webhook-signature';

describe('secret rotation', () => {
  it.each([
    [undefined, 24],
    ['', 24],
    ['  ', 24],
    ['48', 48],
    ['0', 0],
    ['1.5', 1.5],
    [' 12 ', 12],
  ])('parses NEXUS_WEBHOOK_ROTATION_HOURS=%j as %p', (value, hours) => {
    expect(parseRotationHours(value)).toBe(hours);
  });

  it.each(['-1', 'abc', '24h', '1e3', '721'])(
    'rejects NEXUS_WEBHOOK_ROTATION_HOURS=%j, naming it',
    (value) => {
      expect(() => parseRotationHours(value)).toThrow(new RegExp(`NEXUS_WEBHOOK_ROTATION_HOURS: "${value}"`));
    },
  );

  it('defaults to 24 hours', () => {
    expect(DEFAULT_ROTATION_HOURS).toBe(24);
    expect(previousSecretExpiry(new Date('2026-01-01T00:00:00Z'), 24)).toEqual(
      new Date('2026-01-02T00:00:00Z'),
    );
  });

  const current = generateWebhookSecret();
  const old = generateWebhookSecret();
  const rotatedAt = new Date('2026-01-01T00:00:00Z');
  const previous = { secret: old, expiresAt: previousSecretExpiry(rotatedAt, 24) };

  it('signs with both secrets, newest first, within the window', () => {
    expect(activeSigningSecrets({ current, previous, now: new Date('2026-01-01T23:59:59Z') })).toEqual([
      current,
      old,
    ]);
  });

  it('signs with the current secret only once the window has passed', () => {
    expect(activeSigningSecrets({ current, previous, now: new Date('2026-01-02T00:00:00Z') })).toEqual([
      current,
    ]);
  });

  it('signs with the current secret only without a previous one', () => {
    expect(activeSigningSecrets({ current, previous: null, now: rotatedAt })).toEqual([current]);
    expect(activeSigningSecrets({ current, now: rotatedAt })).toEqual([current]);
  });

  it('feeds signWebhook so both receivers verify', () => {
    const secrets = activeSigningSecrets({ current, previous, now: new Date('2026-01-01T12:00:00Z') });
    const body = '{"type":"file.created","data":{}}';
    const headers = signWebhook({ messageId: 'msg_r', timestamp: new Date(), body, secrets });
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
  });
});
