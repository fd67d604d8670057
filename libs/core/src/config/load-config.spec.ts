import { Expose } from 'class-transformer';
import { IsString } from 'class-validator';
import { ApiConfig } from './api.config';
import { BaseConfig, LOG_LEVELS } from './base.config';
import { Secret, secretKeysOf } from './env.decorators';
import type { ConfigProblem } from './load-config';
import { ConfigValidationError, describeConfig, loadConfig, loadConfigOrExit } from './load-config';
import { WorkerConfig } from './worker.config';

type Env = Record<string, string | undefined>;

/** The problems loadConfig reports for `env`; fails the test when it does not throw. */
function problemsFor(configClass: new () => object, env: Env): ConfigProblem[] {
  try {
    loadConfig(configClass, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

function variablesIn(problems: ConfigProblem[]): string[] {
  return problems.map((problem) => problem.variable).sort();
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('gives the API every documented default when the environment is empty', () => {
      const config = loadConfig(ApiConfig, {});

      expect(config).toBeInstanceOf(ApiConfig);
      expect(config).toBeInstanceOf(BaseConfig);
      expect(config).toMatchObject({
        NEXUS_HOST: '127.0.0.1',
        NEXUS_PORT: 2026,
        NEXUS_SKIP_MIGRATIONS: false,
        NEXUS_SHUTDOWN_GRACE_MS: 10_000,
        NEXUS_DATA_DIR: './.nexus',
        DB_POOL_SIZE: 10,
        DB_POOL_IDLE_MS: 10_000,
        DB_STATEMENT_TIMEOUT_MS: 30_000,
        NEXUS_EMBEDDED_DB_MAX_CONNECTIONS: 100,
        NEXUS_EMBEDDED_DB_PORT: 0,
        REDIS_URL: 'redis://127.0.0.1:6379',
        LOG_LEVEL: 'info',
        NEXUS_KV: 'embedded',
      });
      expect(config.DATABASE_URL).toBeUndefined();
      expect(config.NEXUS_ETCD_ENDPOINTS).toBeUndefined();
    });

    it('gives the worker its defaults', () => {
      const config = loadConfig(WorkerConfig, {});

      expect(config).toBeInstanceOf(WorkerConfig);
      expect(config.NEXUS_SHUTDOWN_GRACE_MS).toBe(10_000);
      expect(config.LOG_LEVEL).toBe('info');
      expect(config).not.toHaveProperty('NEXUS_PORT');
    });

    it('returns a frozen configuration', () => {
      const config = loadConfig(ApiConfig, {});

      expect(Object.isFrozen(config)).toBe(true);
      expect(() => {
        (config as { NEXUS_PORT: number }).NEXUS_PORT = 1;
      }).toThrow(TypeError);
    });
  });

  describe('values from the environment', () => {
    it('converts integers and booleans to their types', () => {
      const config = loadConfig(ApiConfig, {
        NEXUS_HOST: '0.0.0.0',
        NEXUS_PORT: '8080',
        NEXUS_SKIP_MIGRATIONS: 'true',
        DB_POOL_SIZE: '25',
        LOG_LEVEL: 'debug',
        DATABASE_URL: 'postgres://nexus:pw@db:5432/nexus',
      });

      expect(config.NEXUS_HOST).toBe('0.0.0.0');
      expect(config.NEXUS_PORT).toBe(8080);
      expect(config.NEXUS_SKIP_MIGRATIONS).toBe(true);
      expect(config.DB_POOL_SIZE).toBe(25);
      expect(config.LOG_LEVEL).toBe('debug');
      expect(config.DATABASE_URL).toBe('postgres://nexus:pw@db:5432/nexus');
    });

    it('trims whitespace around integers', () => {
      expect(loadConfig(ApiConfig, { NEXUS_PORT: ' 8080 ' }).NEXUS_PORT).toBe(8080);
    });

    it('accepts the port bounds 0 and 65535', () => {
      expect(loadConfig(ApiConfig, { NEXUS_PORT: '0' }).NEXUS_PORT).toBe(0);
      expect(loadConfig(ApiConfig, { NEXUS_PORT: '65535' }).NEXUS_PORT).toBe(65535);
    });

    it.each(['abc', '70000', '12abc', '1.5', '-1', '0x50', '1e3', ' '])(
      'rejects NEXUS_PORT=%p naming the variable',
      (value) => {
        const problems = problemsFor(ApiConfig, { NEXUS_PORT: value });

        expect(variablesIn(problems)).toEqual(['NEXUS_PORT']);
        expect(problems[0]?.message).not.toBe('');
      },
    );

    it('puts every bad variable in the error and its message', () => {
      let caught: unknown;
      try {
        loadConfig(ApiConfig, { NEXUS_PORT: 'abc', DB_POOL_SIZE: '0', LOG_LEVEL: 'loud' });
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(ConfigValidationError);
      const error = caught as ConfigValidationError;
      expect(error.name).toBe('ConfigValidationError');
      expect(variablesIn(error.problems)).toEqual(['DB_POOL_SIZE', 'LOG_LEVEL', 'NEXUS_PORT']);
      expect(error.message).toMatch(/^Invalid configuration: /);
      for (const variable of ['NEXUS_PORT', 'DB_POOL_SIZE', 'LOG_LEVEL'])
        expect(error.message).toContain(variable);
    });

    it('reports the failed constraint in the problem message', () => {
      const [problem] = problemsFor(ApiConfig, { NEXUS_PORT: '70000' });

      expect(problem?.message).toContain('65535');
    });

    it('treats empty strings as unset', () => {
      const config = loadConfig(ApiConfig, {
        NEXUS_PORT: '',
        NEXUS_SKIP_MIGRATIONS: '',
        LOG_LEVEL: '',
        DATABASE_URL: '',
        REDIS_URL: '',
        NEXUS_HOST: '',
      });

      expect(config.NEXUS_PORT).toBe(2026);
      expect(config.NEXUS_SKIP_MIGRATIONS).toBe(false);
      expect(config.LOG_LEVEL).toBe('info');
      expect(config.DATABASE_URL).toBeUndefined();
      expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
      expect(config.NEXUS_HOST).toBe('127.0.0.1');
    });

    it('treats undefined values as unset', () => {
      expect(loadConfig(ApiConfig, { NEXUS_PORT: undefined }).NEXUS_PORT).toBe(2026);
    });

    it('copies no unrelated environment variables onto the configuration', () => {
      const config = loadConfig(ApiConfig, {
        PATH: '/usr/bin',
        HOME: '/home/nexus',
        AWS_SECRET_ACCESS_KEY: 'leak-me-not',
        nexus_port: '1',
        NEXUS_PORT: '3000',
      });

      expect(config.NEXUS_PORT).toBe(3000);
      for (const key of ['PATH', 'HOME', 'AWS_SECRET_ACCESS_KEY', 'nexus_port']) {
        expect(config).not.toHaveProperty(key);
      }
      expect(JSON.stringify(config)).not.toContain('leak-me-not');
    });
  });

  describe('EnvBoolean', () => {
    it.each(['1', 'true', 'yes', 'on', 'TRUE', 'Yes', ' on '])('parses %p as true', (value) => {
      expect(loadConfig(ApiConfig, { NEXUS_SKIP_MIGRATIONS: value }).NEXUS_SKIP_MIGRATIONS).toBe(true);
    });

    it.each(['0', 'false', 'no', 'off', 'FALSE', 'Off'])('parses %p as false', (value) => {
      expect(loadConfig(ApiConfig, { NEXUS_SKIP_MIGRATIONS: value }).NEXUS_SKIP_MIGRATIONS).toBe(false);
    });

    it.each(['maybe', '2', 'y', 'truee'])('rejects %p naming the variable', (value) => {
      expect(variablesIn(problemsFor(ApiConfig, { NEXUS_SKIP_MIGRATIONS: value }))).toEqual([
        'NEXUS_SKIP_MIGRATIONS',
      ]);
    });
  });

  describe('LOG_LEVEL', () => {
    it.each([...LOG_LEVELS])('accepts %p', (level) => {
      expect(loadConfig(BaseConfig, { LOG_LEVEL: level }).LOG_LEVEL).toBe(level);
    });

    it.each(['verbose', 'INFO', 'warning', 'log'])('rejects %p', (level) => {
      expect(variablesIn(problemsFor(BaseConfig, { LOG_LEVEL: level }))).toEqual(['LOG_LEVEL']);
    });
  });

  describe('URLs', () => {
    it.each(['postgres://u:p@db:5432/nexus', 'postgresql://db/nexus'])('accepts DATABASE_URL=%p', (url) => {
      expect(loadConfig(BaseConfig, { DATABASE_URL: url }).DATABASE_URL).toBe(url);
    });

    it.each(['mysql://db/nexus', 'postgres://', 'db:5432', 'http://postgres://x'])(
      'rejects DATABASE_URL=%p with the documented message',
      (url) => {
        const problems = problemsFor(BaseConfig, { DATABASE_URL: url });

        expect(problems).toEqual([
          { variable: 'DATABASE_URL', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' },
        ]);
      },
    );

    it.each(['redis://cache:6379', 'rediss://user:pw@cache:6380/2'])('accepts REDIS_URL=%p', (url) => {
      expect(loadConfig(BaseConfig, { REDIS_URL: url }).REDIS_URL).toBe(url);
    });

    it.each(['http://cache:6379', 'cache:6379', 'redis://'])('rejects REDIS_URL=%p', (url) => {
      expect(variablesIn(problemsFor(BaseConfig, { REDIS_URL: url }))).toEqual(['REDIS_URL']);
    });
  });

  describe('raft-kv', () => {
    const REQUIRED = 'NEXUS_ETCD_ENDPOINTS is required when NEXUS_KV=etcd';
    const MALFORMED = 'NEXUS_ETCD_ENDPOINTS must be comma-separated http:// or https:// URLs (host:port)';

    it.each(['embedded', 'etcd'])('accepts NEXUS_KV=%p', (engine) => {
      const env = { NEXUS_KV: engine, NEXUS_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' };
      expect(loadConfig(BaseConfig, env).NEXUS_KV).toBe(engine);
    });

    it.each(['redis', 'ETCD', 'lmdb', 'raft'])('rejects NEXUS_KV=%p naming the engines', (engine) => {
      expect(problemsFor(BaseConfig, { NEXUS_KV: engine })).toEqual([
        { variable: 'NEXUS_KV', message: 'NEXUS_KV must be one of: embedded, etcd' },
      ]);
    });

    it('splits NEXUS_ETCD_ENDPOINTS on commas, trimming blanks and empty items', () => {
      const config = loadConfig(WorkerConfig, {
        NEXUS_KV: 'etcd',
        NEXUS_ETCD_ENDPOINTS: ' http://10.0.0.1:2379, https://etcd-2.internal:2379/ ,,http://localhost:23790',
      });

      expect(config.NEXUS_ETCD_ENDPOINTS).toEqual([
        'http://10.0.0.1:2379',
        'https://etcd-2.internal:2379/',
        'http://localhost:23790',
      ]);
    });

    it('accepts a single endpoint', () => {
      const config = loadConfig(ApiConfig, {
        NEXUS_KV: 'etcd',
        NEXUS_ETCD_ENDPOINTS: 'http://127.0.0.1:2379',
      });

      expect(config.NEXUS_ETCD_ENDPOINTS).toEqual(['http://127.0.0.1:2379']);
    });

    it('requires NEXUS_ETCD_ENDPOINTS when NEXUS_KV=etcd, with a message saying so', () => {
      expect(problemsFor(ApiConfig, { NEXUS_KV: 'etcd' })).toEqual([
        { variable: 'NEXUS_ETCD_ENDPOINTS', message: REQUIRED },
      ]);
      expect(problemsFor(ApiConfig, { NEXUS_KV: 'etcd', NEXUS_ETCD_ENDPOINTS: '' })).toEqual([
        { variable: 'NEXUS_ETCD_ENDPOINTS', message: REQUIRED },
      ]);
    });

    it.each([
      ',',
      ' , ',
      'etcd:2379',
      '127.0.0.1:2379',
      'grpc://etcd:2379',
      'http://',
      'http://etcd:2379/v3/kv',
      'http://a:2379,b:2379',
      'http://u:p@etcd:2379',
    ])('rejects NEXUS_ETCD_ENDPOINTS=%p with one message', (value) => {
      expect(problemsFor(ApiConfig, { NEXUS_KV: 'etcd', NEXUS_ETCD_ENDPOINTS: value })).toEqual([
        { variable: 'NEXUS_ETCD_ENDPOINTS', message: MALFORMED },
      ]);
    });

    it('ignores an unset NEXUS_ETCD_ENDPOINTS for the embedded engine but still checks a set one', () => {
      expect(loadConfig(ApiConfig, { NEXUS_KV: 'embedded' }).NEXUS_ETCD_ENDPOINTS).toBeUndefined();
      expect(variablesIn(problemsFor(ApiConfig, { NEXUS_ETCD_ENDPOINTS: 'not-a-url' }))).toEqual([
        'NEXUS_ETCD_ENDPOINTS',
      ]);
    });

    it('names both variables when both are wrong', () => {
      expect(
        variablesIn(problemsFor(ApiConfig, { NEXUS_KV: 'zookeeper', NEXUS_ETCD_ENDPOINTS: 'nope' })),
      ).toEqual(['NEXUS_ETCD_ENDPOINTS', 'NEXUS_KV']);
    });

    it('shows the endpoints in describeConfig (they are not secret)', () => {
      const config = loadConfig(ApiConfig, { NEXUS_KV: 'etcd', NEXUS_ETCD_ENDPOINTS: 'http://etcd:2379' });

      expect(describeConfig(config)).toMatchObject({
        NEXUS_KV: 'etcd',
        NEXUS_ETCD_ENDPOINTS: ['http://etcd:2379'],
      });
    });
  });

  describe('bounds', () => {
    it.each([
      ['DB_POOL_SIZE', '0'],
      ['DB_POOL_SIZE', '201'],
      ['DB_POOL_IDLE_MS', '99'],
      ['DB_STATEMENT_TIMEOUT_MS', '-1'],
      ['NEXUS_EMBEDDED_DB_MAX_CONNECTIONS', '19'],
      ['NEXUS_EMBEDDED_DB_MAX_CONNECTIONS', '1001'],
      ['NEXUS_EMBEDDED_DB_PORT', '65536'],
      ['NEXUS_SHUTDOWN_GRACE_MS', '120001'],
    ])('rejects %s=%s for the API', (variable, value) => {
      expect(variablesIn(problemsFor(ApiConfig, { [variable]: value }))).toEqual([variable]);
    });

    it.each([
      ['DB_POOL_SIZE', '1', 1],
      ['DB_POOL_SIZE', '200', 200],
      ['DB_POOL_IDLE_MS', '100', 100],
      ['DB_STATEMENT_TIMEOUT_MS', '0', 0],
      ['NEXUS_EMBEDDED_DB_MAX_CONNECTIONS', '20', 20],
      ['NEXUS_EMBEDDED_DB_PORT', '5544', 5544],
      ['NEXUS_SHUTDOWN_GRACE_MS', '120000', 120_000],
    ])('accepts %s=%s for the API', (variable, value, expected) => {
      expect(loadConfig(ApiConfig, { [variable]: value })).toHaveProperty(variable, expected);
    });

    it('allows the worker a longer shutdown grace than the API', () => {
      expect(loadConfig(WorkerConfig, { NEXUS_SHUTDOWN_GRACE_MS: '600000' }).NEXUS_SHUTDOWN_GRACE_MS).toBe(
        600_000,
      );
      expect(variablesIn(problemsFor(WorkerConfig, { NEXUS_SHUTDOWN_GRACE_MS: '600001' }))).toEqual([
        'NEXUS_SHUTDOWN_GRACE_MS',
      ]);
    });
  });
});

describe('secrets', () => {
  class PluginConfig extends BaseConfig {
    @Expose()
    @IsString()
    @Secret()
    PLUGIN_TOKEN = 'default-token';
  }

  it('marks DATABASE_URL and REDIS_URL as secret, inherited by every process config', () => {
    for (const config of [
      loadConfig(BaseConfig, {}),
      loadConfig(ApiConfig, {}),
      loadConfig(WorkerConfig, {}),
    ]) {
      const secrets = secretKeysOf(config);
      expect(secrets.has('DATABASE_URL')).toBe(true);
      expect(secrets.has('REDIS_URL')).toBe(true);
      expect(secrets.has('LOG_LEVEL')).toBe(false);
    }
  });

  it('adds a subclass secret without marking it secret on the parent class', () => {
    expect(secretKeysOf(new PluginConfig()).has('PLUGIN_TOKEN')).toBe(true);
    expect(secretKeysOf(new PluginConfig()).has('REDIS_URL')).toBe(true);
    expect(secretKeysOf(new BaseConfig()).has('PLUGIN_TOKEN')).toBe(false);
  });

  it('knows no secrets of a plain object', () => {
    expect(secretKeysOf({ DATABASE_URL: 'postgres://x' }).size).toBe(0);
  });
});

describe('describeConfig', () => {
  it('redacts DATABASE_URL and REDIS_URL and shows every other value', () => {
    const config = loadConfig(ApiConfig, {
      DATABASE_URL: 'postgres://nexus:db-hunter2@db/nexus',
      REDIS_URL: 'redis://:redis-hunter2@cache:6379',
      NEXUS_PORT: '8080',
      LOG_LEVEL: 'warn',
    });

    const description = describeConfig(config);

    expect(description.DATABASE_URL).toBe('[redacted]');
    expect(description.REDIS_URL).toBe('[redacted]');
    expect(description.NEXUS_PORT).toBe(8080);
    expect(description.LOG_LEVEL).toBe('warn');
    expect(description.NEXUS_HOST).toBe('127.0.0.1');
    expect(description.NEXUS_SKIP_MIGRATIONS).toBe(false);
    expect(JSON.stringify(description)).not.toContain('hunter2');
  });

  it('redacts the default REDIS_URL too, but leaves an unset DATABASE_URL unset', () => {
    const description = describeConfig(loadConfig(WorkerConfig, {}));

    expect(description.REDIS_URL).toBe('[redacted]');
    expect(description.DATABASE_URL).toBeUndefined();
    expect(description.NEXUS_SHUTDOWN_GRACE_MS).toBe(10_000);
  });

  it('does not change the configuration it describes', () => {
    const config = loadConfig(ApiConfig, { DATABASE_URL: 'postgres://db/nexus' });

    describeConfig(config);

    expect(config.DATABASE_URL).toBe('postgres://db/nexus');
  });
});

describe('loadConfigOrExit', () => {
  class ExitCalled extends Error {
    constructor(readonly code: number | string | null | undefined) {
      super(`process.exit(${String(code)})`);
    }
  }

  let stderr: string[];
  let exitSpy: jest.SpyInstance;
  let stderrSpy: jest.SpyInstance;
  let replacedEnv: jest.ReplaceProperty<NodeJS.ProcessEnv> | undefined;

  function setEnv(env: NodeJS.ProcessEnv): void {
    replacedEnv = jest.replaceProperty(process, 'env', env);
  }

  beforeEach(() => {
    stderr = [];
    exitSpy = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new ExitCalled(code);
    });
    stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    replacedEnv?.restore();
    replacedEnv = undefined;
    exitSpy.mockRestore();
    stderrSpy.mockRestore();
  });

  it('returns the configuration read from process.env', () => {
    setEnv({ NEXUS_PORT: '4321', LOG_LEVEL: 'error' });

    const config = loadConfigOrExit(ApiConfig);

    expect(config.NEXUS_PORT).toBe(4321);
    expect(config.LOG_LEVEL).toBe('error');
    expect(exitSpy).not.toHaveBeenCalled();
    expect(stderr).toEqual([]);
  });

  it('exits with 78 (EX_CONFIG) and names each bad variable on stderr', () => {
    setEnv({ NEXUS_PORT: 'abc', LOG_LEVEL: 'loud' });

    expect(() => loadConfigOrExit(ApiConfig)).toThrow(ExitCalled);

    expect(exitSpy).toHaveBeenCalledTimes(1);
    expect(exitSpy).toHaveBeenCalledWith(78);
    const output = stderr.join('');
    expect(output).toMatch(/^Configuration error: /m);
    expect(output).toContain('NEXUS_PORT');
    expect(output).toContain('LOG_LEVEL');
    expect(stderr).toHaveLength(2);
    expect(stderr.every((line) => line.endsWith('\n'))).toBe(true);
  });

  it('rethrows errors that are not configuration problems without exiting', () => {
    class BrokenConfig {
      constructor() {
        throw new RangeError('constructor bug');
      }
    }
    setEnv({});

    expect(() => loadConfigOrExit(BrokenConfig)).toThrow(RangeError);
    expect(exitSpy).not.toHaveBeenCalled();
  });
});
