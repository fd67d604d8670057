import type { ArgumentsHost } from '@nestjs/common';
import { Logger, NotFoundException } from '@nestjs/common';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { NotFoundError, RateLimitedError, ServiceUnavailableError } from './domain-error';
import type { ErrorResponseBody } from './error-response';

interface FakeReply {
  header: jest.Mock<FakeReply, [string, string]>;
  status: jest.Mock<FakeReply, [number]>;
  send: jest.Mock<FakeReply, [ErrorResponseBody]>;
}

function fakeReply(): FakeReply {
  const reply = {} as FakeReply;
  reply.header = jest.fn((_name: string, _value: string) => reply);
  reply.status = jest.fn((_code: number) => reply);
  reply.send = jest.fn((_body: ErrorResponseBody) => reply);
  return reply;
}

function fakeHost(request: { id?: string; method: string; url: string }, reply: FakeReply): ArgumentsHost {
  const http = { getRequest: () => request, getResponse: () => reply, getNext: () => undefined };
  return { switchToHttp: () => http } as unknown as ArgumentsHost;
}

describe('AllExceptionsFilter', () => {
  let filter: AllExceptionsFilter;
  let reply: FakeReply;
  let loggerError: jest.SpyInstance;
  const request = { id: 'req-7', method: 'GET', url: '/api/v1/files/secret.txt' };

  beforeEach(() => {
    filter = new AllExceptionsFilter();
    reply = fakeReply();
    loggerError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    loggerError.mockRestore();
  });

  function sentBody(): ErrorResponseBody {
    expect(reply.send).toHaveBeenCalledTimes(1);
    return reply.send.mock.calls[0]![0];
  }

  it('answers a domain error with its status and body, carrying the request id', () => {
    filter.catch(new NotFoundError('File not found', undefined, { path: '/a' }), fakeHost(request, reply));

    expect(reply.status).toHaveBeenCalledWith(404);
    expect(sentBody()).toStrictEqual({
      error: 'NOT_FOUND',
      message: 'File not found',
      statusCode: 404,
      requestId: 'req-7',
      details: { path: '/a' },
    });
    expect(reply.header).not.toHaveBeenCalled();
    expect(loggerError).not.toHaveBeenCalled();
  });

  it('answers a Nest HttpException with its status', () => {
    filter.catch(new NotFoundException('Cannot GET /x'), fakeHost(request, reply));

    expect(reply.status).toHaveBeenCalledWith(404);
    expect(sentBody()).toMatchObject({ error: 'NOT_FOUND', message: 'Cannot GET /x' });
  });

  it('sets Retry-After before sending a rate-limit answer', () => {
    filter.catch(new RateLimitedError(17), fakeHost(request, reply));

    expect(reply.header).toHaveBeenCalledWith('Retry-After', '17');
    expect(reply.status).toHaveBeenCalledWith(429);
    expect(sentBody()).toMatchObject({ error: 'RATE_LIMITED', details: { retryAfterSeconds: 17 } });
    expect(reply.header.mock.invocationCallOrder[0]).toBeLessThan(reply.send.mock.invocationCallOrder[0]!);
  });

  it('sets Retry-After on a 503 that says when to retry, and does not log the shed request', () => {
    const shed = new ServiceUnavailableError('overloaded', { retryAfterSeconds: 1.2 }, 'REBAC_OVERLOADED');
    filter.catch(shed, fakeHost(request, reply));

    expect(reply.header).toHaveBeenCalledWith('Retry-After', '2');
    expect(reply.status).toHaveBeenCalledWith(503);
    expect(sentBody()).toMatchObject({ error: 'REBAC_OVERLOADED', details: { retryAfterSeconds: 1.2 } });
    expect(loggerError).not.toHaveBeenCalled();
  });

  it.each([
    [
      'a 503 without retryAfterSeconds',
      new ServiceUnavailableError('database down', { dependency: 'postgres' }),
    ],
    [
      'a 503 whose retryAfterSeconds is not a number',
      new ServiceUnavailableError('x', { retryAfterSeconds: 'soon' }),
    ],
    ['a 404 with retryAfterSeconds', new NotFoundError('gone', undefined, { retryAfterSeconds: 3 })],
  ])('sends no Retry-After for %s', (_name, error) => {
    filter.catch(error, fakeHost(request, reply));

    expect(reply.header).not.toHaveBeenCalled();
  });

  it('still logs a 503 that gives no time to retry (a fault, not shedding)', () => {
    filter.catch(new ServiceUnavailableError('database down'), fakeHost(request, reply));

    expect(loggerError).toHaveBeenCalledTimes(1);
  });

  it('answers an unknown error with a 500 that leaks nothing, and logs it with the request', () => {
    const error = new Error('password=hunter2 rejected by 10.0.0.5');

    filter.catch(error, fakeHost(request, reply));

    expect(reply.status).toHaveBeenCalledWith(500);
    const body = sentBody();
    expect(body).toStrictEqual({
      error: 'INTERNAL_ERROR',
      message: 'Internal server error',
      statusCode: 500,
      requestId: 'req-7',
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(loggerError).toHaveBeenCalledTimes(1);
    expect(loggerError).toHaveBeenCalledWith(
      expect.objectContaining({ err: error, method: 'GET', url: '/api/v1/files/secret.txt' }),
    );
  });

  it('answers with a null request id when the request has none', () => {
    filter.catch(new NotFoundError('x'), fakeHost({ method: 'GET', url: '/' }, reply));

    expect(sentBody().requestId).toBeNull();
  });
});
