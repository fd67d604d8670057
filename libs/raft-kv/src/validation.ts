import { KvError, KvErrorCode, invalidArgument } from './kv.errors';
import type { KvBatchOp } from './kv-store';
import { RESERVED_TABLES } from './kv-store';

/** Limits shared by both engines so that the contract is the same (etcd: 128 txn ops, 1.5 MiB requests). */
export const KV_LIMITS = {
  maxKeyBytes: 1024,
  maxValueBytes: 512 * 1024,
  maxBatchOps: 128,
  maxBatchBytes: 1024 * 1024,
  maxNameBytes: 256,
  minTtlMs: 1,
  maxTtlMs: 24 * 60 * 60 * 1000,
} as const;

const TABLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function assertTable(table: string): void {
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw invalidArgument(`Table name ${JSON.stringify(table)} must match ${TABLE_NAME.source}`, { table });
  }
}

/** A table the generic write API may change. */
export function assertWritableTable(table: string): void {
  assertTable(table);
  if (RESERVED_TABLES.has(table)) {
    throw new KvError(
      KvErrorCode.ReservedTable,
      `Table ${table} is managed by the KV store and cannot be written directly`,
      {
        table,
      },
    );
  }
}

export function assertKey(key: Uint8Array, what = 'key'): void {
  if (!(key instanceof Uint8Array)) throw invalidArgument(`The ${what} must be a Uint8Array`);
  if (key.length === 0 || key.length > KV_LIMITS.maxKeyBytes) {
    throw invalidArgument(`The ${what} must be 1–${KV_LIMITS.maxKeyBytes} bytes, not ${key.length}`);
  }
}

/** A range bound or prefix: like a key, but may be empty (the whole table). */
export function assertBound(bound: Uint8Array, what: string): void {
  if (!(bound instanceof Uint8Array)) throw invalidArgument(`The ${what} must be a Uint8Array`);
  if (bound.length > KV_LIMITS.maxKeyBytes) {
    throw invalidArgument(`The ${what} must be at most ${KV_LIMITS.maxKeyBytes} bytes, not ${bound.length}`);
  }
}

export function assertValue(value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw invalidArgument('The value must be a Uint8Array');
  if (value.length > KV_LIMITS.maxValueBytes) {
    throw invalidArgument(`The value must be at most ${KV_LIMITS.maxValueBytes} bytes, not ${value.length}`);
  }
}

export function assertLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw invalidArgument(`The limit must be a positive integer, not ${String(limit)}`);
  }
}

export function assertName(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0 || Buffer.byteLength(value) > KV_LIMITS.maxNameBytes) {
    throw invalidArgument(`The ${what} must be a string of 1–${KV_LIMITS.maxNameBytes} bytes`);
  }
}

export function assertTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < KV_LIMITS.minTtlMs || ttlMs > KV_LIMITS.maxTtlMs) {
    throw invalidArgument(
      `The TTL must be an integer from ${KV_LIMITS.minTtlMs} to ${KV_LIMITS.maxTtlMs} ms`,
    );
  }
}

export function assertBatch(ops: readonly KvBatchOp[]): void {
  const list: unknown = ops;
  if (!Array.isArray(list)) throw invalidArgument('A batch must be an array of operations');
  if (ops.length > KV_LIMITS.maxBatchOps) {
    throw invalidArgument(`A batch has at most ${KV_LIMITS.maxBatchOps} operations, not ${ops.length}`);
  }
  const seen = new Set<string>();
  let bytes = 0;
  for (const op of ops) {
    if (op.type !== 'put' && op.type !== 'delete') {
      throw invalidArgument(`Unknown batch operation ${JSON.stringify((op as { type?: unknown }).type)}`);
    }
    assertWritableTable(op.table);
    assertKey(op.key);
    bytes += op.key.length;
    if (op.type === 'put') {
      assertValue(op.value);
      bytes += op.value.length;
    }
    const id = `${op.table}\u0000${Buffer.from(op.key).toString('hex')}`;
    if (seen.has(id)) throw invalidArgument('A batch may touch each key only once', { table: op.table });
    seen.add(id);
  }
  if (bytes > KV_LIMITS.maxBatchBytes) {
    throw invalidArgument(
      `A batch carries at most ${KV_LIMITS.maxBatchBytes} bytes of keys and values, not ${bytes}`,
    );
  }
}
