import { Logger } from '@nestjs/common';
import { ApiConfig, loadConfig } from '@nexus/core';
import jwt from 'jsonwebtoken';
import { AuthenticationFailedError } from '../auth.errors';
import type { AccessTokenClaims } from './token.service';
import { TokenService } from './token.service';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const CLAIMS: AccessTokenClaims = {
  sub: 'agent-1',
  st: 'agent',
  zid: '3f1c1a52-9a4b-4cde-8f00-0a1b2c3d4e5f',
  role: 'editor',
  kid: '0b6a4c1e-2f3d-4e5f-8a9b-1c2d3e4f5a6b',
};

function service(env: Record<string, string> = {}): TokenService {
  return new TokenService(loadConfig(ApiConfig, { NEXUS_JWT_SECRET: SECRET, ...env }));
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** The reason verify() refuses the token with, or 'accepted'. */
function verdict(tokens: TokenService, token: string): string {
  try {
    tokens.verify(token);
    return 'accepted';
  } catch (error) {
    if (error instanceof AuthenticationFailedError) return error.reason;
    throw error;
  }
}

describe('TokenService', () => {
  it('issues a Bearer token that verifies back to its claims', () => {
    const tokens = service({ NEXUS_JWT_EXPIRY_MINUTES: '7' });
    const issued = tokens.issue(CLAIMS);
    expect(issued).toMatchObject({ tokenType: 'Bearer', expiresIn: 7 * 60 });
    expect(tokens.verify(issued.accessToken)).toMatchObject(CLAIMS);

    const decoded = jwt.decode(issued.accessToken, { complete: true });
    expect(decoded?.header.alg).toBe('HS256');
    const payload = decoded?.payload as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(7 * 60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every token its own id', () => {
    const tokens = service();
    const a = jwt.decode(tokens.issue(CLAIMS).accessToken) as jwt.JwtPayload;
    const b = jwt.decode(tokens.issue(CLAIMS).accessToken) as jwt.JwtPayload;
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses alg none', () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...CLAIMS, iat: now(), exp: now() + 600 })}.`;
    expect(verdict(service(), token)).toBe('invalid');
  });

  it('refuses a token signed with another HMAC algorithm than configured (HS512 vs HS256)', () => {
    const token = jwt.sign({ ...CLAIMS }, SECRET, { algorithm: 'HS512', expiresIn: 600 });
    expect(verdict(service(), token)).toBe('invalid');
    expect(verdict(service({ NEXUS_JWT_ALGORITHM: 'HS512' }), token)).toBe('accepted');
  });

  it('refuses a token signed with another secret', () => {
    const token = jwt.sign({ ...CLAIMS }, `${SECRET}-other`, { algorithm: 'HS256', expiresIn: 600 });
    expect(verdict(service(), token)).toBe('invalid');
  });

  it('refuses a token whose payload was changed after signing', () => {
    const [header, , signature] = service().issue(CLAIMS).accessToken.split('.');
    const forged = `${header}.${b64({ ...CLAIMS, role: 'admin', iat: now(), exp: now() + 600 })}.${signature}`;
    expect(verdict(service(), forged)).toBe('invalid');
  });

  it('refuses a token whose signature was changed', () => {
    const token = service().issue(CLAIMS).accessToken;
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(verdict(service(), `${token.slice(0, -2)}${last}${token.at(-1)}`)).toBe('invalid');
  });

  it('maps an expired token to "expired"', () => {
    const token = jwt.sign({ ...CLAIMS, exp: now() - 5 }, SECRET, { algorithm: 'HS256' });
    expect(verdict(service(), token)).toBe('expired');
  });

  it('says "invalid", not "expired", for an expired token with a bad signature', () => {
    const token = jwt.sign({ ...CLAIMS, exp: now() - 5 }, `${SECRET}-other`, { algorithm: 'HS256' });
    expect(verdict(service(), token)).toBe('invalid');
  });

  it.each([
    ['no kid', { sub: 'a', st: 'agent', zid: 'z', role: 'viewer' }],
    ['an unknown role', { ...CLAIMS, role: 'root' }],
    ['an unknown subject type', { ...CLAIMS, st: 'robot' }],
    ['a numeric subject', { ...CLAIMS, sub: 7 }],
    ['a kid that is not a UUID', { ...CLAIMS, kid: 'key-1' }],
  ])('refuses a correctly signed token with %s', (_label, claims) => {
    const token = jwt.sign(claims, SECRET, { algorithm: 'HS256', expiresIn: 600 });
    expect(verdict(service(), token)).toBe('invalid');
  });

  it.each(['', 'garbage', 'a.b.c', 'a.b', `${b64({ alg: 'HS256' })}..`])(
    'refuses malformed token %p',
    (token) => {
      expect(verdict(service(), token)).toBe('invalid');
    },
  );

  it('without NEXUS_JWT_SECRET signs with a per-process secret, says so, and refuses other processes’ tokens', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const first = new TokenService(loadConfig(ApiConfig, {}));
      const second = new TokenService(loadConfig(ApiConfig, {}));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('NEXUS_JWT_SECRET is not set'));
      const token = first.issue(CLAIMS).accessToken;
      expect(verdict(first, token)).toBe('accepted');
      expect(verdict(second, token)).toBe('invalid');
    } finally {
      warn.mockRestore();
    }
  });
});
