import { Transform } from 'class-transformer';

const SECRET_KEYS = Symbol('nexus:config:secrets');

/** Marks a configuration variable as secret: it is redacted wherever config is described. */
export function Secret(): PropertyDecorator {
  return (target, key) => {
    const ctor = target.constructor as { [SECRET_KEYS]?: Set<string | symbol> };
    const inherited = ctor[SECRET_KEYS] ?? new Set<string | symbol>();
    ctor[SECRET_KEYS] = new Set([...inherited, key]);
  };
}

export function secretKeysOf(config: object): ReadonlySet<string | symbol> {
  const ctor = config.constructor as { [SECRET_KEYS]?: Set<string | symbol> };
  return ctor[SECRET_KEYS] ?? new Set();
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/**
 * Parses "1/true/yes/on" and "0/false/no/off". Anything else is left as the raw
 * string so that @IsBoolean() rejects it with a message naming the variable.
 */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return value;
  });
}

/** Parses an integer strictly: "12abc" and "1.5" stay strings and fail @IsInt(). */
export function EnvInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    return /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  });
}

/**
 * Parses a comma-separated list ("a, b,,c" → ['a', 'b', 'c']). Validate the
 * items with `each: true` constraints.
 */
export function EnvList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  });
}
