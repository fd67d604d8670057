import { bytesToVector, vectorToBytes } from './vector-bytes';

describe('vector bytes (float32 little-endian)', () => {
  it('round-trips and writes little-endian', () => {
    const v = Float32Array.from([1, -0.5, 0.25, 3.4028234663852886e38]);
    const bytes = vectorToBytes(v);
    expect(bytes).toHaveLength(16);
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]); // 1.0f
    expect(bytesToVector(bytes)).toEqual(v);
    // An unaligned view (as a driver may hand back) decodes the same.
    const unaligned = Buffer.concat([Buffer.from([7]), bytes]).subarray(1);
    expect(bytesToVector(unaligned)).toEqual(v);
  });
});
