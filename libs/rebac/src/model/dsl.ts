import { transformer } from '@openfga/syntax-transformer';
import { ModelValidationError } from '../rebac.errors';
import type { AuthorizationModel } from './model.types';

export const MAX_DSL_LENGTH = 256 * 1024;

/** Turns OpenFGA DSL text into the JSON model shape (validation is compileModel's job). */
export function dslToJson(dsl: string): unknown {
  if (typeof dsl !== 'string' || dsl.trim() === '')
    throw new ModelValidationError('the DSL model is empty', { path: 'dsl' });
  if (dsl.length > MAX_DSL_LENGTH)
    throw new ModelValidationError('the DSL model is too large', { path: 'dsl' });
  try {
    const json: unknown = transformer.transformDSLToJSONObject(dsl);
    return json;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ModelValidationError(`the DSL model does not parse: ${message.split('\n')[0] ?? message}`, {
      path: 'dsl',
      reason: message.slice(0, 2_000),
    });
  }
}

/** Renders a stored JSON model as DSL text. */
export function jsonToDsl(model: AuthorizationModel): string {
  const json: Parameters<typeof transformer.transformJSONToDSL>[0] = JSON.parse(
    JSON.stringify(model),
  ) as never;
  return transformer.transformJSONToDSL(json);
}
