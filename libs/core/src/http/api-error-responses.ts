import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

/** The body of every error answer (see toErrorResponse): documented once, referenced by every route. */
export class ErrorResponse {
  @ApiProperty({ description: 'Machine-readable error code', example: 'NOT_FOUND' })
  error: string;

  @ApiProperty({ description: 'What went wrong, for a person', example: 'No such file: /docs/a.txt' })
  message: string;

  @ApiProperty({ description: 'The HTTP status, repeated', example: 404 })
  statusCode: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The request id (X-Request-ID) to quote when reporting a problem',
  })
  requestId: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Structured facts about the error (the field that failed validation, the current version…)',
  })
  details?: Record<string, unknown>;
}

/** The error statuses a route can answer with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 416 | 422 | 423 | 429 | 500 | 503;

const DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid input: the message and `details` name the field',
  401: 'No valid credential (API key or access token)',
  403: 'The caller may not do this',
  404: 'Not found (or not visible to the caller)',
  409: 'Conflicts with the current state',
  412: 'A precondition (If-Match / If-None-Match / expected version) failed',
  413: 'The request body is too large',
  415: 'Unsupported media type',
  416: 'The requested range cannot be satisfied',
  422: 'Well-formed but cannot be processed',
  423: 'Locked by another subject',
  429: 'Rate limited: retry after the Retry-After header',
  500: 'Unexpected server error: the body reveals nothing; quote its requestId',
  503: 'Temporarily unavailable: retry',
};

/** The statuses every authenticated route can answer with (credential and rate limit). */
export const AUTHENTICATED_ERRORS: readonly ErrorStatus[] = [401, 429];

/**
 * Documents the error answers of a route (or of every route of a controller),
 * each with the one ErrorResponse schema. The content is spelled out rather than
 * given as a `type`: errors are JSON even on routes that produce another media
 * type (file content, metrics), and a `type` would take the route's.
 */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ...[...new Set(statuses)].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } },
      }),
    ),
  );
}
