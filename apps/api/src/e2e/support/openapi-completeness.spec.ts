import type { OpenAPIObject, OperationObject, ResponsesObject } from '@nestjs/swagger';
import { ERROR_RESPONSE_REF, documentationGaps, requiresCredential } from './openapi-completeness';

const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: ref } } } });
const OK = { description: 'ok', ...json('#/components/schemas/Thing') };
const ERROR = { description: 'error', ...json(ERROR_RESPONSE_REF) };
const SECURED = [{ bearer: [] }];

function documentWith(
  operations: Record<string, Record<string, OperationObject>>,
  extra: Partial<OpenAPIObject> = {},
): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: operations, ...extra };
}

const operation = (responses: ResponsesObject, security?: OperationObject['security']): OperationObject => ({
  responses,
  ...(security ? { security } : {}),
});

describe('documentationGaps', () => {
  it('accepts a public and a secured operation documented in full', () => {
    const document = documentWith({
      '/a': { get: operation({ 200: OK, 429: ERROR }) },
      '/b/{id}': { delete: operation({ 204: { description: 'gone' }, 401: ERROR, 404: ERROR }, SECURED) },
      '/c': { head: operation({ 200: { description: 'exists' }, 401: ERROR }, SECURED) },
    });
    expect(documentationGaps(document)).toEqual([]);
  });

  it('names each operation without a 2xx, or whose 2xx has no schema', () => {
    const document = documentWith({
      '/none': { get: operation({ 400: ERROR }) },
      '/bare': { post: operation({ 201: { description: 'made' }, 400: ERROR }) },
    });
    expect(documentationGaps(document)).toEqual([
      'GET /none: no 2xx response',
      'POST /bare: 201 has no content schema',
    ]);
  });

  it('names operations whose errors do not use the ErrorResponse schema as JSON', () => {
    const document = documentWith({
      '/plain': { get: operation({ 200: OK, 503: { description: 'down' } }) },
      '/other': {
        get: operation({ 200: OK, 400: { description: 'bad', ...json('#/components/schemas/Other') } }),
      },
      '/text': {
        get: operation({
          200: OK,
          500: { description: 'failed', content: { 'text/plain': { schema: { $ref: ERROR_RESPONSE_REF } } } },
        }),
      },
    });
    expect(documentationGaps(document)).toEqual([
      'GET /plain: no error response with the ErrorResponse schema',
      'GET /other: no error response with the ErrorResponse schema',
      'GET /text: no error response with the ErrorResponse schema',
    ]);
  });

  it('asks a 401 of operations that need a credential, by their own security or the document’s', () => {
    const document = documentWith(
      {
        '/own': { get: operation({ 200: OK, 403: ERROR }, SECURED) },
        '/inherited': { get: operation({ 200: OK, 403: ERROR }) },
        '/opted-out': { get: operation({ 200: OK, 429: ERROR }, []) },
      },
      { security: SECURED },
    );
    expect(documentationGaps(document)).toEqual([
      'GET /own: needs a credential but documents no 401',
      'GET /inherited: needs a credential but documents no 401',
    ]);
  });

  it('follows response references into components', () => {
    const document = documentWith(
      { '/ref': { get: operation({ 200: OK, 404: { $ref: '#/components/responses/NotFound' } }) } },
      { components: { responses: { NotFound: ERROR } } },
    );
    expect(documentationGaps(document)).toEqual([]);
  });
});

describe('requiresCredential', () => {
  it('reads the operation’s security before the document’s', () => {
    const document = documentWith({}, { security: SECURED });
    expect(requiresCredential(document, operation({}))).toBe(true);
    expect(requiresCredential(document, operation({}, []))).toBe(false);
    expect(requiresCredential(documentWith({}), operation({}))).toBe(false);
  });
});
