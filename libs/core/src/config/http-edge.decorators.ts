import { isIP } from 'node:net';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/**
 * Which proxies' X-Forwarded-For the API believes: none (false), any (true),
 * the nearest n hops, or the proxies at these addresses/CIDRs.
 */
export type TrustProxySetting = boolean | number | string[];

/** Address ranges Fastify's trustProxy (proxy-addr) knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isTrustProxySetting(value: unknown): value is TrustProxySetting {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((entry) => typeof entry === 'string' && isAddressOrCidr(entry))
  );
}

/**
 * Parses a trust-proxy variable: `true`/`false`, a hop count, or a
 * comma-separated list of addresses/CIDRs. Not the usual boolean words: `1`
 * is one hop here, and trusting every proxy instead would let any client
 * choose its own address.
 */
export function EnvTrustProxy(): PropertyDecorator {
  const parse = Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (/^\d+$/.test(text)) return Number(text);
    return text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
  });
  const validate = ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: isTrustProxySetting,
      defaultMessage: (args) =>
        `${args?.property} must be true, false, a hop count or comma-separated proxy addresses/CIDRs (e.g. 10.0.0.0/8,::1)`,
    },
  });
  return (target, key) => {
    parse(target, key);
    validate(target, key);
  };
}

/** A serialized web origin as browsers send it in `Origin`: scheme, lowercase host, port only when not the default. */
function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** A non-empty list (see EnvList) of exact web origins; anything else would never match a browser's `Origin`. */
export function WebOrigins(): PropertyDecorator {
  return ValidateBy({
    name: 'webOrigins',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(isOrigin),
      defaultMessage: (args) =>
        `${args?.property} must be comma-separated origins like https://app.example.com (scheme://host[:port], lowercase, no path or trailing slash)`,
    },
  });
}
