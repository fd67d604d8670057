import { invalidArgument } from './kv.errors';

/** Turns typed keys or values into the bytes the store keeps, and back. */
export interface Codec<T> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 strings. Orders like the strings' code points. */
export const stringCodec: Codec<string> = {
  encode: (value) => encoder.encode(value),
  decode: (bytes) => decoder.decode(bytes),
};

/** Bytes as they are. */
export const bytesCodec: Codec<Uint8Array> = {
  encode: (value) => value,
  decode: (bytes) => bytes,
};

const U64_MAX = (1n << 64n) - 1n;

/** Unsigned 64-bit integers as 8 big-endian bytes, so that byte order is numeric order. */
export const bigintCodec: Codec<bigint> = {
  encode(value) {
    if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
      throw invalidArgument(`${String(value)} is not an unsigned 64-bit bigint`);
    }
    const bytes = Buffer.allocUnsafe(8);
    bytes.writeBigUInt64BE(value);
    return bytes;
  },
  decode(bytes) {
    if (bytes.length !== 8) throw invalidArgument(`A bigint is 8 bytes, not ${bytes.length}`);
    return Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64BE(0);
  },
};

/** JSON documents as UTF-8 text. The type parameter is trusted, not checked. */
export function jsonCodec<T>(): Codec<T> {
  return {
    encode: (value) => encoder.encode(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(decoder.decode(bytes)) as T,
  };
}

/** Byte-wise comparison, the order both engines keep keys in. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * The smallest key greater than every key that starts with `prefix`, or
 * undefined when there is none (empty prefix, or only 0xff bytes).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = Uint8Array.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return undefined;
}

/** Concatenates byte arrays into one Buffer. */
export function concatBytes(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts);
}
