import { Webhook } from 'standardwebhooks';
import { newMessageId } from './message-id';
import { generateWebhookSecret } from './webhook-secret';
import { signWebhook } from './webhook-signature';

const body = JSON.stringify({ type: 'file.created', data: { path: '/docs/report.pdf', size: 42 } });
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('signWebhook', () => {
  it('produces headers the Standard Webhooks library verifies', () => {
    const secret = generateWebhookSecret();
    const messageId = newMessageId();
    const headers = signWebhook({ messageId, timestamp: new Date(), body, secrets: [secret] });

    expect(headers['webhook-id']).toBe(messageId);
    expect(Math.abs(Number(headers['webhook-timestamp']) - nowSeconds())).toBeLessThanOrEqual(1);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('matches the library’s own signature byte for byte', () => {
    const secret = generateWebhookSecret();
    const at = new Date('2026-01-02T03:04:05.678Z');
    const headers = signWebhook({ messageId: 'msg_abc', timestamp: at, body, secrets: [secret] });
    expect(headers['webhook-timestamp']).toBe('1767323045');
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_abc', at, body));
  });

  it('accepts Unix seconds as the timestamp', () => {
    const secret = generateWebhookSecret();
    const timestamp = nowSeconds();
    const headers = signWebhook({ messageId: 'msg_1', timestamp, body, secrets: [secret] });
    expect(headers['webhook-timestamp']).toBe(String(timestamp));
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
  });

  describe('during a secret rotation', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const headers = signWebhook({
      messageId: 'msg_rot',
      timestamp: new Date(),
      body,
      secrets: [newSecret, oldSecret],
    });

    it('carries one v1 signature per secret, newest first, space-separated', () => {
      const at = new Date(Number(headers['webhook-timestamp']) * 1000);
      expect(headers['webhook-signature'].split(' ')).toEqual([
        new Webhook(newSecret).sign('msg_rot', at, body),
        new Webhook(oldSecret).sign('msg_rot', at, body),
      ]);
    });

    it('verifies for a receiver that knows only the old secret', () => {
      expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    });

    it('verifies for a receiver that knows only the new secret', () => {
      expect(() => new Webhook(newSecret).verify(body, headers)).not.toThrow();
    });

    it('does not verify for a receiver with neither', () => {
      expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(
        /No matching signature/,
      );
    });

    it('signs a duplicated secret once', () => {
      const dup = signWebhook({
        messageId: 'msg_d',
        timestamp: new Date(),
        body,
        secrets: [newSecret, newSecret],
      });
      expect(dup['webhook-signature'].split(' ')).toHaveLength(1);
    });
  });

  describe('fails verification', () => {
    const secret = generateWebhookSecret();

    it('for a tampered body', () => {
      const headers = signWebhook({ messageId: 'msg_t', timestamp: new Date(), body, secrets: [secret] });
      const tampered = body.replace('42', '43');
      expect(() => new Webhook(secret).verify(tampered, headers)).toThrow(/No matching signature/);
    });

    it('for a tampered id', () => {
      const headers = signWebhook({ messageId: 'msg_t', timestamp: new Date(), body, secrets: [secret] });
      expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_u' })).toThrow(
        /No matching signature/,
      );
    });

    it('for the wrong secret', () => {
      const headers = signWebhook({ messageId: 'msg_w', timestamp: new Date(), body, secrets: [secret] });
      expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(
        /No matching signature/,
      );
    });

    it('for a timestamp older than the library’s 5-minute tolerance', () => {
      const headers = signWebhook({
        messageId: 'msg_o',
        timestamp: nowSeconds() - 10 * 60,
        body,
        secrets: [secret],
      });
      expect(() => new Webhook(secret).verify(body, headers)).toThrow(/too old/);
    });

    it('for a timestamp rewritten to look fresh', () => {
      const headers = signWebhook({
        messageId: 'msg_o',
        timestamp: nowSeconds() - 60,
        body,
        secrets: [secret],
      });
      const replayed = { ...headers, 'webhook-timestamp': String(nowSeconds()) };
      expect(() => new Webhook(secret).verify(body, replayed)).toThrow(/No matching signature/);
    });
  });

  describe('signs the exact bytes of the body', () => {
    const secret = generateWebhookSecret();
    const unicode = JSON.stringify({ type: 'file.renamed', data: { path: '/Café/naïve 📄.txt' } });

    it('verifies a unicode body as string and as its UTF-8 bytes', () => {
      const headers = signWebhook({
        messageId: 'msg_u',
        timestamp: new Date(),
        body: unicode,
        secrets: [secret],
      });
      expect(() => new Webhook(secret).verify(unicode, headers)).not.toThrow();
      expect(() => new Webhook(secret).verify(Buffer.from(unicode, 'utf8'), headers)).not.toThrow();
    });

    it('signs a byte body the same as its string', () => {
      const at = new Date();
      const fromString = signWebhook({ messageId: 'msg_b', timestamp: at, body: unicode, secrets: [secret] });
      const fromBytes = signWebhook({
        messageId: 'msg_b',
        timestamp: at,
        body: new TextEncoder().encode(unicode),
        secrets: [secret],
      });
      expect(fromBytes).toEqual(fromString);
    });

    it('does not verify the same text in another Unicode normalization', () => {
      const nfc = unicode.normalize('NFC');
      const nfd = unicode.normalize('NFD');
      expect(nfd).not.toBe(nfc);
      const headers = signWebhook({
        messageId: 'msg_n',
        timestamp: new Date(),
        body: nfc,
        secrets: [secret],
      });
      expect(() => new Webhook(secret).verify(nfd, headers)).toThrow(/No matching signature/);
    });

    it('does not verify a re-serialized body (whitespace matters)', () => {
      const headers = signWebhook({ messageId: 'msg_s', timestamp: new Date(), body, secrets: [secret] });
      const pretty = JSON.stringify(JSON.parse(body), null, 2);
      expect(() => new Webhook(secret).verify(pretty, headers)).toThrow(/No matching signature/);
    });
  });

  describe('rejects bad input', () => {
    const secret = generateWebhookSecret();

    it.each(['', 'msg.1', 'msg 1', 'msg_1\n'])('message id %j', (messageId) => {
      expect(() => signWebhook({ messageId, timestamp: new Date(), body, secrets: [secret] })).toThrow(
        /message id/,
      );
    });

    it.each([new Date(NaN), -1, 1.5, Number.NaN])('timestamp %p', (timestamp) => {
      expect(() => signWebhook({ messageId: 'msg_1', timestamp, body, secrets: [secret] })).toThrow(
        /timestamp/,
      );
    });

    it('no secrets', () => {
      expect(() => signWebhook({ messageId: 'msg_1', timestamp: new Date(), body, secrets: [] })).toThrow(
        /at least one secret/,
      );
    });

    it('a malformed secret, without echoing it', () => {
      const bad = 'whsec_tooShort';
      expect(() => signWebhook({ messageId: 'msg_1', timestamp: new Date(), body, secrets: [bad] })).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('tooShort') }),
      );
    });
  });
});
