import pino from 'pino';
import type { Logger as PinoLogger } from 'pino';
import { RequestContext } from '../context/request-context';
import { createLogger, NestPinoLogger } from './logger';

type LogLine = Record<string, unknown>;

/** A pino destination that keeps every line, parsed. */
class MemoryStream {
  readonly lines: LogLine[] = [];

  write(chunk: string): void {
    this.lines.push(JSON.parse(chunk) as LogLine);
  }

  only(): LogLine {
    expect(this.lines).toHaveLength(1);
    return this.lines[0]!;
  }
}

/** createLogger writes to stdout; point the logger it built at an in-memory stream instead. */
function captured(logger: PinoLogger): MemoryStream {
  const stream = new MemoryStream();
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = stream;
  return stream;
}

describe('NestPinoLogger', () => {
  let stream: MemoryStream;
  let logger: NestPinoLogger;

  beforeEach(() => {
    stream = new MemoryStream();
    logger = new NestPinoLogger(pino({ level: 'trace', base: undefined, timestamp: false }, stream));
  });

  it('takes the context from the last string parameter', () => {
    logger.log('Nest application started', 'NestApplication');

    expect(stream.only()).toEqual({ level: 30, msg: 'Nest application started', context: 'NestApplication' });
  });

  it('writes no context when there is none', () => {
    logger.log('plain');

    expect(stream.only()).toEqual({ level: 30, msg: 'plain' });
  });

  it('does not take a context from a last parameter that is not a string', () => {
    logger.warn('slow query', { durationMs: 812 });

    expect(stream.only()).toEqual({ level: 40, msg: 'slow query', durationMs: 812 });
  });

  it('merges object parameters as fields next to the context', () => {
    logger.log('file stored', { fileId: 'f1' }, { size: 12 }, 'Storage');

    expect(stream.only()).toEqual({
      level: 30,
      msg: 'file stored',
      fileId: 'f1',
      size: 12,
      context: 'Storage',
    });
  });

  it('reads the string before the context of an error as its stack', () => {
    const stack = 'Error: boom\n    at handler (files.controller.ts:10:5)';

    logger.error('Request failed', stack, 'ExceptionsHandler');

    expect(stream.only()).toEqual({ level: 50, msg: 'Request failed', stack, context: 'ExceptionsHandler' });
  });

  it('does not read a string parameter as a stack below error level', () => {
    logger.warn('odd', 'not a stack', 'Ctx');

    const line = stream.only();
    expect(line).not.toHaveProperty('stack');
    expect(line).toEqual({ level: 40, msg: 'odd', context: 'Ctx' });
  });

  it('serialises an Error message with its stack and uses its text as the message', () => {
    const error = new TypeError('kaput');

    logger.error(error, 'Worker');

    const line = stream.only();
    expect(line).toMatchObject({ level: 50, msg: 'kaput', context: 'Worker' });
    expect(line.err).toMatchObject({ type: 'TypeError', message: 'kaput' });
    expect((line.err as { stack: string }).stack).toContain('TypeError: kaput');
  });

  it('serialises an Error parameter as err', () => {
    logger.warn('retrying', new Error('ECONNRESET'), 'Redis');

    const line = stream.only();
    expect(line).toMatchObject({ level: 40, msg: 'retrying', context: 'Redis' });
    expect(line.err).toMatchObject({ type: 'Error', message: 'ECONNRESET' });
  });

  it('uses msg of an object message as the message and the rest as fields', () => {
    logger.error({ msg: 'Unhandled error while serving request', method: 'GET', url: '/x' }, 'HttpErrors');

    expect(stream.only()).toEqual({
      level: 50,
      msg: 'Unhandled error while serving request',
      method: 'GET',
      url: '/x',
      context: 'HttpErrors',
    });
  });

  it('writes an object message without msg as fields only', () => {
    logger.log({ event: 'tick', n: 3 });

    expect(stream.only()).toEqual({ level: 30, event: 'tick', n: 3 });
  });

  it('serialises err inside an object message', () => {
    logger.error({ msg: 'Shutdown failed', err: new Error('pool busy') });

    expect(stream.only()).toMatchObject({
      msg: 'Shutdown failed',
      err: { type: 'Error', message: 'pool busy' },
    });
  });

  it('turns other messages into text', () => {
    logger.log(42, 'Numbers');

    expect(stream.only()).toEqual({ level: 30, msg: '42', context: 'Numbers' });
  });

  it.each([
    ['log', 30],
    ['error', 50],
    ['warn', 40],
    ['debug', 20],
    ['verbose', 10],
    ['fatal', 60],
  ] as const)('writes %s at pino level %p', (method, level) => {
    logger[method]('message');

    expect(stream.only().level).toBe(level);
  });

  it('respects the level of the pino logger', () => {
    const quiet = new NestPinoLogger(pino({ level: 'warn' }, stream));

    quiet.log('dropped');
    quiet.debug('dropped');
    quiet.verbose('dropped');
    quiet.warn('kept');

    expect(stream.only().msg).toBe('kept');
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the level name, service, pid and an ISO time', () => {
    const logger = createLogger('api', 'info');
    const stream = captured(logger);

    logger.info({ fileId: 'f1' }, 'hello');

    const line = stream.only();
    expect(line).toMatchObject({
      level: 'info',
      service: 'api',
      pid: process.pid,
      fileId: 'f1',
      msg: 'hello',
    });
    expect(line.time).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));
    expect(line).not.toHaveProperty('requestId');
  });

  it('adds the request id inside a request context', () => {
    const logger = createLogger('api', 'info');
    const stream = captured(logger);

    RequestContext.run({ requestId: 'req-123' }, () => logger.info('inside'));
    logger.info('outside');

    expect(stream.lines).toHaveLength(2);
    expect(stream.lines[0]).toMatchObject({ msg: 'inside', requestId: 'req-123' });
    expect(stream.lines[1]).not.toHaveProperty('requestId');
  });

  it('adds the request id to what Nest logs through NestPinoLogger', async () => {
    const pinoLogger = createLogger('worker', 'debug');
    const stream = captured(pinoLogger);
    const logger = new NestPinoLogger(pinoLogger);

    await RequestContext.run({ requestId: 'req-nest' }, async () => {
      await Promise.resolve();
      logger.log('handled', 'FilesController');
    });

    expect(stream.only()).toMatchObject({
      level: 'info',
      service: 'worker',
      msg: 'handled',
      context: 'FilesController',
      requestId: 'req-nest',
    });
  });

  it('drops lines below its level', () => {
    const logger = createLogger('api', 'warn');
    const stream = captured(logger);

    logger.info('dropped');
    logger.debug('dropped');
    logger.error('kept');

    expect(stream.only()).toMatchObject({ level: 'error', msg: 'kept' });
  });

  it('writes nothing at level silent', () => {
    const logger = createLogger('api', 'silent');
    const stream = captured(logger);

    logger.fatal('dropped');

    expect(stream.lines).toEqual([]);
  });

  it('redacts credentials nested one level down and request authorization headers', () => {
    const logger = createLogger('api', 'info');
    const stream = captured(logger);

    logger.info({
      user: { name: 'alice', password: 'pw-nested' },
      key: { apiKey: 'key-nested' },
      headers: { authorization: 'Bearer token-headers' },
      req: { headers: { authorization: 'Bearer token-req', accept: 'application/json' } },
    });

    const line = stream.only();
    expect(line.user).toEqual({ name: 'alice', password: '[redacted]' });
    expect(line.key).toEqual({ apiKey: '[redacted]' });
    expect(line.headers).toEqual({ authorization: '[redacted]' });
    expect(line.req).toEqual({ headers: { authorization: '[redacted]', accept: 'application/json' } });
  });

  it('redacts top-level credentials', () => {
    const logger = createLogger('api', 'info');
    const stream = captured(logger);

    logger.info({
      password: 'pw-top',
      apiKey: 'key-top',
      authorization: 'Bearer token-top',
      subject: 'alice',
    });

    const line = stream.only();
    expect(line).toMatchObject({ password: '[redacted]', apiKey: '[redacted]', authorization: '[redacted]' });
    expect(line.subject).toBe('alice');
    expect(JSON.stringify(line)).not.toMatch(/pw-top|key-top|token-top/);
  });

  it('redacts credentials in an object message logged through Nest', () => {
    const pinoLogger = createLogger('api', 'info');
    const stream = captured(pinoLogger);

    new NestPinoLogger(pinoLogger).log({ msg: 'login', password: 'pw-nest' }, 'Auth');

    expect(stream.only()).toMatchObject({ msg: 'login', password: '[redacted]', context: 'Auth' });
  });
});
