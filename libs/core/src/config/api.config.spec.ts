import { ApiConfig } from './api.config';
import { ConfigValidationError, loadConfig } from './load-config';

describe('ApiConfig NEXUS_MAX_FILE_BYTES', () => {
  it('defaults to 1 GiB', () => {
    expect(loadConfig(ApiConfig, {}).NEXUS_MAX_FILE_BYTES).toBe(1024 ** 3);
  });

  it('parses an integer from the environment', () => {
    expect(loadConfig(ApiConfig, { NEXUS_MAX_FILE_BYTES: '1048576' }).NEXUS_MAX_FILE_BYTES).toBe(1_048_576);
  });

  it.each(['0', '-5', 'lots', '1.5'])('refuses %s', (value) => {
    expect(() => loadConfig(ApiConfig, { NEXUS_MAX_FILE_BYTES: value })).toThrow(ConfigValidationError);
  });
});

/** The one problem loadConfig reports for `env`; fails the test when it accepts it. */
function problemWith(env: Record<string, string>): { variable: string; message: string } {
  try {
    loadConfig(ApiConfig, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems } = error as ConfigValidationError;
    expect(problems).toHaveLength(1);
    return problems[0]!;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('ApiConfig NEXUS_TRUST_PROXY', () => {
  const trustProxy = (value: string) => loadConfig(ApiConfig, { NEXUS_TRUST_PROXY: value }).NEXUS_TRUST_PROXY;

  it('trusts no proxy by default', () => {
    expect(loadConfig(ApiConfig, {}).NEXUS_TRUST_PROXY).toBe(false);
  });

  it.each([
    ['true', true],
    ['FALSE', false],
    ['1', 1],
    ['2', 2],
    ['0', 0],
    ['10.0.0.1', ['10.0.0.1']],
    [' 10.0.0.0/8, 192.168.1.7/32 ,,::1,fd00::/8', ['10.0.0.0/8', '192.168.1.7/32', '::1', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('parses %p as %p', (value, expected) => {
    expect(trustProxy(value)).toEqual(expected);
  });

  it.each([
    'yes',
    'on',
    '-1',
    '1.5',
    '10.0.0.300',
    '10.0.0.0/33',
    '::1/129',
    '10.0.0.0/8/1',
    'proxy.internal',
    ' , ',
  ])('refuses %p, naming the variable', (value) => {
    const problem = problemWith({ NEXUS_TRUST_PROXY: value });
    expect(problem.variable).toBe('NEXUS_TRUST_PROXY');
    expect(problem.message).toMatch(
      /^NEXUS_TRUST_PROXY must be true, false, a hop count or .*addresses\/CIDRs/,
    );
  });
});

describe('ApiConfig NEXUS_CORS_ORIGINS', () => {
  it('allows no cross-origin access by default', () => {
    expect(loadConfig(ApiConfig, {}).NEXUS_CORS_ORIGINS).toBeUndefined();
  });

  it('parses comma-separated exact origins', () => {
    const config = loadConfig(ApiConfig, {
      NEXUS_CORS_ORIGINS: 'https://app.example.com, http://localhost:3000,,http://[::1]:8080',
    });
    expect(config.NEXUS_CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
      'http://[::1]:8080',
    ]);
  });

  it.each([
    '*',
    'app.example.com',
    'https://app.example.com/',
    'https://app.example.com/ui',
    'https://App.Example.com',
    'https://app.example.com:443',
    'ftp://files.example.com',
    'https://app.example.com,null',
    ' , ',
  ])('refuses %p, naming the variable', (value) => {
    const problem = problemWith({ NEXUS_CORS_ORIGINS: value });
    expect(problem.variable).toBe('NEXUS_CORS_ORIGINS');
    expect(problem.message).toMatch(
      /^NEXUS_CORS_ORIGINS must be comma-separated origins like https:\/\/app\.example\.com/,
    );
  });
});

describe('ApiConfig rebac admission control', () => {
  it('sizes evaluations from the pool unless set, and queues 5,000 checks by default', () => {
    const config = loadConfig(ApiConfig, {});
    expect(config.NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS).toBeUndefined();
    expect(config.NEXUS_REBAC_MAX_QUEUED_CHECKS).toBe(5_000);
  });

  it('parses both from the environment; a queue of 0 sheds whatever finds every evaluation busy', () => {
    const config = loadConfig(ApiConfig, {
      NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS: '4',
      NEXUS_REBAC_MAX_QUEUED_CHECKS: '0',
    });
    expect(config.NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS).toBe(4);
    expect(config.NEXUS_REBAC_MAX_QUEUED_CHECKS).toBe(0);
  });

  it.each([
    ['NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS', '0'],
    ['NEXUS_REBAC_MAX_CONCURRENT_EVALUATIONS', 'many'],
    ['NEXUS_REBAC_MAX_QUEUED_CHECKS', '-1'],
    ['NEXUS_REBAC_MAX_QUEUED_CHECKS', '2.5'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(problemWith({ [variable]: value }).variable).toBe(variable);
  });
});
