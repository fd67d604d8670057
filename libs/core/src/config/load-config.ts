import { plainToInstance } from 'class-transformer';
import type { ValidationError as ClassValidationError } from 'class-validator';
import { validateSync } from 'class-validator';
import { secretKeysOf } from './env.decorators';

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

function toProblems(errors: ClassValidationError[]): ConfigProblem[] {
  return errors.map((error) => ({
    variable: error.property,
    message: Object.values(error.constraints ?? {}).join(', ') || 'is invalid',
  }));
}

/**
 * Builds and validates a configuration class from environment variables.
 * Empty variables count as unset. Throws ConfigValidationError naming every bad variable.
 */
export function loadConfig<T extends object>(
  configClass: new () => T,
  env: Record<string, string | undefined>,
): T {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const config = plainToInstance(configClass, present, {
    excludeExtraneousValues: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigValidationError(toProblems(errors));
  return Object.freeze(config);
}

/** The configuration with secrets redacted, for a boot log line. */
export function describeConfig(config: object): Record<string, unknown> {
  const secrets = secretKeysOf(config);
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      secrets.has(key) && value !== undefined ? '[redacted]' : value,
    ]),
  );
}

/**
 * Loads configuration from the process environment — the one place that reads it —
 * or prints what is wrong and stops the process with exit code 78 (EX_CONFIG).
 */
export function loadConfigOrExit<T extends object>(configClass: new () => T): T {
  try {
    return loadConfig(configClass, process.env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    for (const problem of error.problems) {
      process.stderr.write(`Configuration error: ${problem.variable}: ${problem.message}\n`);
    }
    process.exit(78);
  }
}
