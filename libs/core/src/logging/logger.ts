import type { LoggerService } from '@nestjs/common';
import pino from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config/base.config';
import { RequestContext } from '../context/request-context';
import { stdoutDestination } from './stdio';

export { FdDestination, drainStdout, ignoreClosedStdio, stdoutDestination } from './stdio';

/**
 * JSON logs on stdout (or `destination`, for tests) for every process: ISO time,
 * level name, service, and the current request id when there is one. Logging to a
 * stdout nobody reads any more neither blocks nor throws (see FdDestination).
 */
export function createLogger(service: string, level: LogLevel, destination?: DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const requestId = RequestContext.requestId();
        return requestId ? { requestId } : {};
      },
      redact: {
        paths: [
          'password',
          'apiKey',
          'authorization',
          '*.password',
          '*.apiKey',
          '*.authorization',
          '*.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? stdoutDestination(),
  );
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal'> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/** Lets Nest (and `new Logger(context)` everywhere) write through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pinoLogger: PinoLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /**
   * Nest passes (message, ...optionalParams, context): the last string is the
   * context; for errors a string before it may be a stack; objects are fields.
   */
  private write(level: NestLevel, message: unknown, rest: unknown[]): void {
    const params = [...rest];
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    for (const param of params) {
      if (typeof param === 'string' && level === 'error') fields.stack = param;
      else if (param instanceof Error) fields.err = param;
      else if (typeof param === 'object' && param !== null) Object.assign(fields, param);
    }
    const target = this.pinoLogger[PINO_LEVEL[level]].bind(this.pinoLogger);
    if (message instanceof Error) target({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) {
      const { msg, ...objectFields } = message as Record<string, unknown>;
      target({ ...fields, ...objectFields }, typeof msg === 'string' ? msg : undefined);
    } else target(fields, String(message));
  }
}
