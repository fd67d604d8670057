import { KvError, KvErrorCode } from './kv.errors';
import type { KvBatchOp } from './kv-store';
import { KV_LIMITS, assertBatch, assertKey, assertTable, assertTtl, assertWritableTable } from './validation';

function codeOf(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof KvError) return error.code;
    throw error;
  }
  return undefined;
}

const put = (table: string, key: string, bytes = 1): KvBatchOp => ({
  type: 'put',
  table,
  key: Buffer.from(key),
  value: new Uint8Array(bytes),
});

describe('validation', () => {
  it.each(['t', 'sm_metadata', 'a1_b2', 'a'.repeat(63)])('accepts table %p', (table) => {
    expect(codeOf(() => assertTable(table))).toBeUndefined();
  });

  it.each(['', '_x', 'A', 'a-b', 'a.b', 'a/b', 'é', 'a'.repeat(64)])('rejects table %p', (table) => {
    expect(codeOf(() => assertTable(table))).toBe(KvErrorCode.InvalidArgument);
  });

  it('keeps revisions and sm_locks out of generic writes with their own code and HTTP 400', () => {
    let caught: unknown;
    try {
      assertWritableTable('sm_locks');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KvError);
    expect(caught).toMatchObject({ code: KvErrorCode.ReservedTable, status: 400 });
    expect(codeOf(() => assertWritableTable('revisions'))).toBe(KvErrorCode.ReservedTable);
    expect(codeOf(() => assertWritableTable('sm_metadata'))).toBeUndefined();
  });

  it('accepts keys of 1 to 1024 bytes only', () => {
    expect(codeOf(() => assertKey(new Uint8Array(0)))).toBe(KvErrorCode.InvalidArgument);
    expect(codeOf(() => assertKey(new Uint8Array(1)))).toBeUndefined();
    expect(codeOf(() => assertKey(new Uint8Array(KV_LIMITS.maxKeyBytes)))).toBeUndefined();
    expect(codeOf(() => assertKey(new Uint8Array(KV_LIMITS.maxKeyBytes + 1)))).toBe(
      KvErrorCode.InvalidArgument,
    );
    expect(codeOf(() => assertKey('text' as unknown as Uint8Array))).toBe(KvErrorCode.InvalidArgument);
  });

  it('accepts whole-millisecond TTLs up to a day', () => {
    expect(codeOf(() => assertTtl(1))).toBeUndefined();
    expect(codeOf(() => assertTtl(KV_LIMITS.maxTtlMs))).toBeUndefined();
    for (const bad of [0, -5, 1.5, Number.NaN, KV_LIMITS.maxTtlMs + 1])
      expect(codeOf(() => assertTtl(bad))).toBe(KvErrorCode.InvalidArgument);
  });

  describe('batches', () => {
    it('accepts up to 128 operations on distinct keys', () => {
      expect(
        codeOf(() => assertBatch(Array.from({ length: 128 }, (_, i) => put('t', `k${i}`)))),
      ).toBeUndefined();
      expect(codeOf(() => assertBatch([put('t', 'k'), put('u', 'k')]))).toBeUndefined();
    });

    it('rejects too many operations, a key touched twice, too many bytes and unknown operations', () => {
      expect(codeOf(() => assertBatch(Array.from({ length: 129 }, (_, i) => put('t', `k${i}`))))).toBe(
        KvErrorCode.InvalidArgument,
      );
      expect(
        codeOf(() => assertBatch([put('t', 'k'), { type: 'delete', table: 't', key: Buffer.from('k') }])),
      ).toBe(KvErrorCode.InvalidArgument);
      const big = Array.from({ length: 3 }, (_, i) => put('t', `k${i}`, KV_LIMITS.maxValueBytes));
      expect(codeOf(() => assertBatch(big))).toBe(KvErrorCode.InvalidArgument);
      expect(codeOf(() => assertBatch([{ type: 'merge' } as unknown as KvBatchOp]))).toBe(
        KvErrorCode.InvalidArgument,
      );
    });
  });
});
