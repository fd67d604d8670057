import { DomainError } from './domain-error';

/** The one error body every HTTP error answers with. */
export interface ErrorResponseBody {
  error: string;
  message: string;
  statusCode: number;
  requestId: string | null;
  details?: Record<string, unknown>;
}

const CODE_FOR_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  411: 'LENGTH_REQUIRED',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  422: 'UNPROCESSABLE_ENTITY',
  423: 'LOCKED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

export function errorCodeForStatus(status: number): string {
  return CODE_FOR_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}

interface HttpLikeError {
  getStatus(): number;
  getResponse(): unknown;
}

function isHttpLikeError(error: unknown): error is HttpLikeError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as Partial<HttpLikeError>).getStatus === 'function' &&
    typeof (error as Partial<HttpLikeError>).getResponse === 'function'
  );
}

/** Fastify's own errors (bad JSON, body too large, unsupported media type) carry a 4xx statusCode. */
function fastifyClientStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as Error & { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null) {
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return fallback;
}

/**
 * Maps any thrown value to a status and body. Unknown errors become a generic 500:
 * their message may hold internals, so it is never sent to the client.
 */
export function toErrorResponse(error: unknown, requestId: string | null): ErrorResponseBody {
  if (error instanceof DomainError) {
    return {
      error: error.code,
      message: error.message,
      statusCode: error.status,
      requestId,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (isHttpLikeError(error)) {
    const statusCode = error.getStatus();
    const message = statusCode >= 500 ? 'Internal server error' : messageOf(error.getResponse(), 'Request failed');
    return { error: errorCodeForStatus(statusCode), message, statusCode, requestId };
  }
  const clientStatus = fastifyClientStatus(error);
  if (clientStatus !== undefined) {
    return { error: errorCodeForStatus(clientStatus), message: (error as Error).message, statusCode: clientStatus, requestId };
  }
  return { error: 'INTERNAL_ERROR', message: 'Internal server error', statusCode: 500, requestId };
}
