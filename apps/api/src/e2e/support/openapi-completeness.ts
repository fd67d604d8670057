import type {
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  ReferenceObject,
  ResponseObject,
} from '@nestjs/swagger';

/** What a complete OpenAPI operation documents, checked without the app: pure functions on the document. */

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Where every error answer's body schema lives in the API's document. */
export const ERROR_RESPONSE_REF = '#/components/schemas/ErrorResponse';

export interface DocumentedOperation {
  /** Lowercase, as keyed in the document. */
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operation: OperationObject;
}

export function operationsOf(document: OpenAPIObject): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]: [string, PathItemObject]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ method, path, operation }] : [];
    }),
  );
}

/** `METHOD path`, how offenders are listed. */
export function labelOf({ method, path }: DocumentedOperation): string {
  return `${method.toUpperCase()} ${path}`;
}

/** Whether the operation asks for a credential (its own security, else the document's). */
export function requiresCredential(document: OpenAPIObject, operation: OperationObject): boolean {
  const requirements = operation.security ?? document.security ?? [];
  return requirements.some((requirement) => Object.keys(requirement).length > 0);
}

function resolved(
  document: OpenAPIObject,
  response: ResponseObject | ReferenceObject | undefined,
): ResponseObject | undefined {
  if (!response || !('$ref' in response)) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  const target = document.components?.responses?.[name];
  return target && !('$ref' in target) ? target : undefined;
}

function hasContentSchema(response: ResponseObject | undefined): boolean {
  return Object.values(response?.content ?? {}).some(
    (media) => media.schema !== undefined && Object.keys(media.schema).length > 0,
  );
}

/** Errors are JSON on every route, whatever media type its success answer has. */
function usesErrorSchema(response: ResponseObject | undefined): boolean {
  const schema = response?.content?.['application/json']?.schema;
  return schema !== undefined && '$ref' in schema && schema.$ref === ERROR_RESPONSE_REF;
}

/** What the operation's documentation lacks; empty when it is complete. */
export function gapsOf(document: OpenAPIObject, { method, operation }: DocumentedOperation): string[] {
  const responses = Object.entries(operation.responses ?? {}).map(
    ([status, response]) => [status, resolved(document, response)] as const,
  );
  const gaps: string[] = [];
  const successes = responses.filter(([status]) => /^2\d\d$/.test(status));
  if (successes.length === 0) gaps.push('no 2xx response');
  for (const [status, response] of successes) {
    // A 204 and an answer to HEAD carry no body to describe.
    if (status !== '204' && method !== 'head' && !hasContentSchema(response))
      gaps.push(`${status} has no content schema`);
  }
  const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status));
  if (!errors.some(([, response]) => usesErrorSchema(response)))
    gaps.push('no error response with the ErrorResponse schema');
  if (
    requiresCredential(document, operation) &&
    !errors.some(([status, response]) => status === '401' && usesErrorSchema(response))
  )
    gaps.push('needs a credential but documents no 401');
  return gaps;
}

/** Every incomplete operation as `METHOD path: what it lacks`. */
export function documentationGaps(document: OpenAPIObject): string[] {
  return operationsOf(document).flatMap((documented) => {
    const gaps = gapsOf(document, documented);
    return gaps.length > 0 ? [`${labelOf(documented)}: ${gaps.join('; ')}`] : [];
  });
}
