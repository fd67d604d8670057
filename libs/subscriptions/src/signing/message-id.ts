import { randomBytes } from 'node:crypto';

// Crockford's base32, as in ULIDs: no I, L, O, U, so ids survive being read aloud.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new `webhook-id`: `msg_` + a ULID (48-bit millisecond time, 80 random bits,
 * 26 characters). Time-ordered so ids sort like deliveries in logs and tables.
 * The caller stores it with the message: retries must send the same id, which
 * is how receivers deduplicate.
 */
export function newMessageId(now: number = Date.now()): string {
  return `msg_${encodeTime(now)}${encodeRandom(randomBytes(10))}`;
}

/** 48-bit time as 10 base32 characters, most significant first. */
function encodeTime(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48)
    throw new RangeError('Message id time out of range');
  let out = '';
  for (let i = 0, rest = ms; i < 10; i++, rest = Math.floor(rest / 32)) {
    out = ALPHABET.charAt(rest % 32) + out;
  }
  return out;
}

/** 80 random bits as 16 base32 characters (5 bits each). */
function encodeRandom(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET.charAt((value >>> bits) & 31);
    }
    value &= (1 << bits) - 1;
  }
  return out;
}
