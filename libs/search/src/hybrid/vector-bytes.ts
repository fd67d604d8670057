// Vectors are stored as bytea (no vector extension is available): float32, little-endian.

/** The vector as little-endian float32 bytes (explicit, so the bytes do not depend on the machine). */
export function vectorToBytes(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes;
}

/** The vector stored by vectorToBytes (a trailing partial float is ignored). */
export function bytesToVector(bytes: Buffer): Float32Array {
  const vector = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}
