import { ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { ValidationError } from '../errors/domain-error';

function flatten(errors: ClassValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) fields[path] = Object.values(error.constraints);
    Object.assign(fields, flatten(error.children ?? [], path));
  }
  return fields;
}

/**
 * DTO validation for every route: unknown properties are rejected, values are
 * converted to their declared types, and failures answer 400 VALIDATION_FAILED
 * with each bad field and what is wrong with it.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = Object.entries(fields)
        .map(([field, problems]) => `${field}: ${problems.join(', ')}`)
        .join('; ');
      return new ValidationError(`Request validation failed: ${summary}`, { fields });
    },
  });
}
