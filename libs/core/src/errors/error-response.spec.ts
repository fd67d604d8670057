import {
  BadRequestException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { DomainError } from './domain-error';
import {
  ConflictError,
  IllegalTransitionError,
  LockedError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthenticatedError,
  ValidationError,
} from './domain-error';
import { errorCodeForStatus, toErrorResponse } from './error-response';

const REQUEST_ID = 'req-42';

describe('toErrorResponse', () => {
  describe('domain errors', () => {
    const cases: Array<[string, DomainError, number, string, string, Record<string, unknown> | undefined]> = [
      [
        'ValidationError',
        new ValidationError('name is required', { field: 'name' }),
        400,
        'VALIDATION_FAILED',
        'name is required',
        { field: 'name' },
      ],
      [
        'ValidationError with its own code',
        new ValidationError('bad cursor', { cursor: 'x' }, 'INVALID_CURSOR'),
        400,
        'INVALID_CURSOR',
        'bad cursor',
        { cursor: 'x' },
      ],
      [
        'UnauthenticatedError',
        new UnauthenticatedError(),
        401,
        'UNAUTHENTICATED',
        'Authentication required',
        undefined,
      ],
      [
        'UnauthenticatedError with its own code',
        new UnauthenticatedError('Token expired', 'TOKEN_EXPIRED'),
        401,
        'TOKEN_EXPIRED',
        'Token expired',
        undefined,
      ],
      [
        'PermissionDeniedError',
        new PermissionDeniedError(),
        403,
        'PERMISSION_DENIED',
        'Permission denied',
        undefined,
      ],
      [
        'PermissionDeniedError with details',
        new PermissionDeniedError('Zone mismatch', 'CROSS_ZONE', { zoneId: 'z1' }),
        403,
        'CROSS_ZONE',
        'Zone mismatch',
        { zoneId: 'z1' },
      ],
      [
        'NotFoundError',
        new NotFoundError('File /a not found', undefined, { path: '/a' }),
        404,
        'NOT_FOUND',
        'File /a not found',
        { path: '/a' },
      ],
      ['ConflictError', new ConflictError('Already exists'), 409, 'CONFLICT', 'Already exists', undefined],
      [
        'IllegalTransitionError',
        new IllegalTransitionError('Upload', 'u1', 'committed', 'pending'),
        409,
        'ILLEGAL_TRANSITION',
        'Upload u1 cannot move from committed to pending',
        { entity: 'Upload', id: 'u1', from: 'committed', to: 'pending' },
      ],
      [
        'PreconditionFailedError',
        new PreconditionFailedError('ETag mismatch', undefined, { etag: '"abc"' }),
        412,
        'PRECONDITION_FAILED',
        'ETag mismatch',
        { etag: '"abc"' },
      ],
      [
        'PayloadTooLargeError',
        new PayloadTooLargeError('File exceeds 10 MiB', { limit: 10_485_760 }),
        413,
        'PAYLOAD_TOO_LARGE',
        'File exceeds 10 MiB',
        { limit: 10_485_760 },
      ],
      ['LockedError', new LockedError('File is locked'), 423, 'LOCKED', 'File is locked', undefined],
      [
        'RateLimitedError',
        new RateLimitedError(30),
        429,
        'RATE_LIMITED',
        'Rate limit exceeded; retry after 30 s',
        { retryAfterSeconds: 30 },
      ],
      [
        'ServiceUnavailableError',
        new ServiceUnavailableError('Database unavailable', { dependency: 'postgres' }),
        503,
        'SERVICE_UNAVAILABLE',
        'Database unavailable',
        { dependency: 'postgres' },
      ],
    ];

    it.each(cases)(
      'maps %s to its status, code, message and details',
      (_name, error, status, code, message, details) => {
        const body = toErrorResponse(error, REQUEST_ID);

        const expected: Record<string, unknown> = {
          error: code,
          message,
          statusCode: status,
          requestId: REQUEST_ID,
        };
        if (details) expected.details = details;
        expect(body).toStrictEqual(expected);
      },
    );

    it.each(cases)('names %s after its class', (_name, error) => {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
      expect(error.name).not.toBe('DomainError');
    });

    it('omits the details key when an error has none', () => {
      expect(toErrorResponse(new ConflictError('x'), null)).not.toHaveProperty('details');
    });

    it('answers with a null request id when there is none', () => {
      expect(toErrorResponse(new LockedError('x'), null).requestId).toBeNull();
    });

    it('sends a 5xx domain error message as is, because domain messages are written for clients', () => {
      expect(toErrorResponse(new ServiceUnavailableError('Redis is unreachable'), null).message).toBe(
        'Redis is unreachable',
      );
    });
  });

  describe('Nest HTTP exceptions', () => {
    it('maps NotFoundException to 404 NOT_FOUND', () => {
      expect(toErrorResponse(new NotFoundException('Cannot GET /nowhere'), REQUEST_ID)).toStrictEqual({
        error: 'NOT_FOUND',
        message: 'Cannot GET /nowhere',
        statusCode: 404,
        requestId: REQUEST_ID,
      });
    });

    it('uses the default message of an exception built without one', () => {
      expect(toErrorResponse(new NotFoundException(), null).message).toBe('Not Found');
    });

    it('joins the array message of a BadRequestException', () => {
      const body = toErrorResponse(
        new BadRequestException(['name must be a string', 'age must be an integer']),
        null,
      );

      expect(body).toStrictEqual({
        error: 'BAD_REQUEST',
        message: 'name must be a string; age must be an integer',
        statusCode: 400,
        requestId: null,
      });
    });

    it('uses a plain string response as the message', () => {
      const body = toErrorResponse(
        new HttpException('Bad range', HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE),
        null,
      );

      expect(body).toMatchObject({ error: 'RANGE_NOT_SATISFIABLE', message: 'Bad range', statusCode: 416 });
    });

    it('falls back to a generic message when the response has none', () => {
      const body = toErrorResponse(new HttpException({ reason: 42 }, HttpStatus.UNPROCESSABLE_ENTITY), null);

      expect(body).toMatchObject({
        error: 'UNPROCESSABLE_ENTITY',
        message: 'Request failed',
        statusCode: 422,
      });
    });

    it.each([
      [new MethodNotAllowedException(), 405, 'METHOD_NOT_ALLOWED'],
      [new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
      [new HttpException('teapot', 418), 418, 'BAD_REQUEST'],
    ])('maps %p to %p %p', (exception, status, code) => {
      expect(toErrorResponse(exception, null)).toMatchObject({ statusCode: status, error: code });
    });

    it.each([
      new InternalServerErrorException('SELECT * FROM users WHERE password = hunter2'),
      new ServiceUnavailableException('pool at 10.0.0.7 exhausted, password=hunter2'),
      new HttpException('upstream hunter2', HttpStatus.BAD_GATEWAY),
    ])('hides the message of a 5xx exception (%p)', (exception) => {
      const body = toErrorResponse(exception, null);

      expect(body.statusCode).toBe(exception.getStatus());
      expect(body.message).toBe('Internal server error');
      expect(JSON.stringify(body)).not.toContain('hunter2');
    });
  });

  describe('Fastify errors', () => {
    it('keeps the status and message of a 4xx Fastify error', () => {
      const error = Object.assign(new Error('Body too large'), { statusCode: 413 });

      expect(toErrorResponse(error, REQUEST_ID)).toStrictEqual({
        error: 'PAYLOAD_TOO_LARGE',
        message: 'Body too large',
        statusCode: 413,
        requestId: REQUEST_ID,
      });
    });

    it('maps a Fastify unsupported media type error', () => {
      const error = Object.assign(new Error('Unsupported Media Type: text/csv'), {
        statusCode: 415,
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      });

      expect(toErrorResponse(error, null)).toMatchObject({
        statusCode: 415,
        error: 'UNSUPPORTED_MEDIA_TYPE',
      });
    });

    it.each([
      ['a 5xx statusCode', Object.assign(new Error('socket hunter2'), { statusCode: 502 })],
      ['a statusCode below 400', Object.assign(new Error('redirect hunter2'), { statusCode: 302 })],
      ['a string statusCode', Object.assign(new Error('odd hunter2'), { statusCode: '413' })],
      ['a non-Error object', { statusCode: 400, message: 'plain hunter2' }],
    ])('treats an error with %s as unknown', (_name, error) => {
      const body = toErrorResponse(error, null);

      expect(body).toMatchObject({
        statusCode: 500,
        error: 'INTERNAL_ERROR',
        message: 'Internal server error',
      });
      expect(JSON.stringify(body)).not.toContain('hunter2');
    });
  });

  describe('unknown errors', () => {
    it('answers 500 without the message, which may hold secrets', () => {
      const error = new Error('connect ECONNREFUSED postgres://nexus:s3cr3t-pw@10.0.0.5/nexus');

      const body = toErrorResponse(error, REQUEST_ID);

      expect(body).toStrictEqual({
        error: 'INTERNAL_ERROR',
        message: 'Internal server error',
        statusCode: 500,
        requestId: REQUEST_ID,
      });
      expect(JSON.stringify(body)).not.toContain('s3cr3t-pw');
    });

    it.each([
      ['a string', 'boom'],
      ['null', null],
      ['undefined', undefined],
      ['a number', 42],
      ['a TypeError', new TypeError('x is undefined')],
    ])('answers 500 for %s', (_name, thrown) => {
      expect(toErrorResponse(thrown, null)).toMatchObject({ statusCode: 500, error: 'INTERNAL_ERROR' });
    });
  });
});

describe('errorCodeForStatus', () => {
  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [411, 'LENGTH_REQUIRED'],
    [423, 'LOCKED'],
    [429, 'RATE_LIMITED'],
    [503, 'SERVICE_UNAVAILABLE'],
    [418, 'BAD_REQUEST'],
    [500, 'INTERNAL_ERROR'],
    [502, 'INTERNAL_ERROR'],
  ])('maps %p to %p', (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });
});
