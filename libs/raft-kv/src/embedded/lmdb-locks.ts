import type { Database } from 'lmdb';
import { jsonCodec, stringCodec } from '../codecs';
import type { LockGrant } from '../kv-store';
import { LOCKS_TABLE } from '../kv-store';
import type { Plan } from './lmdb-writer';

/**
 * TTL locks of the embedded engine, as plans for the writer's transaction.
 * A lock is a row of sm_locks: {owner, fencingToken, expiresAt (epoch ms)}.
 * The fencing token is the store revision of the acquiring write, so it grows
 * with every acquisition. Expiry uses this machine's wall clock, which every
 * process sharing the environment reads alike.
 */
interface LockRecord {
  owner: string;
  fencingToken: string;
  expiresAt: number;
}

const records = jsonCodec<LockRecord>();

function read(locks: Database<Buffer, Buffer>, key: Buffer): LockRecord | undefined {
  const bytes = locks.getBinary(key);
  return bytes ? records.decode(bytes) : undefined;
}

function put(key: Buffer, record: LockRecord) {
  return { type: 'put' as const, table: LOCKS_TABLE, key, value: records.encode(record) };
}

export function lockKey(name: string): Buffer {
  return Buffer.from(stringCodec.encode(name));
}

/** The live holder of a lock, or null. */
export function currentOwner(locks: Database<Buffer, Buffer>, name: string, now: number): string | null {
  const current = read(locks, lockKey(name));
  return current && current.expiresAt > now ? current.owner : null;
}

export function planAcquire(
  locks: Database<Buffer, Buffer>,
  name: string,
  owner: string,
  ttlMs: number,
  now: () => number,
): Plan<LockGrant | null> {
  const key = lockKey(name);
  return (revision) => {
    const at = now();
    const current = read(locks, key);
    if (current && current.expiresAt > at) {
      if (current.owner !== owner) return { result: null, writes: [] };
      const extended = { ...current, expiresAt: at + ttlMs };
      return { result: { fencingToken: BigInt(current.fencingToken) }, writes: [put(key, extended)] };
    }
    const record = { owner, fencingToken: revision.toString(), expiresAt: at + ttlMs };
    return { result: { fencingToken: revision }, writes: [put(key, record)] };
  };
}

export function planRenew(
  locks: Database<Buffer, Buffer>,
  name: string,
  owner: string,
  ttlMs: number,
  now: () => number,
): Plan<boolean> {
  const key = lockKey(name);
  return () => {
    const at = now();
    const current = read(locks, key);
    if (!current || current.owner !== owner || current.expiresAt <= at) return { result: false, writes: [] };
    return { result: true, writes: [put(key, { ...current, expiresAt: at + ttlMs })] };
  };
}

/** Deletes the row when `owner` holds it (true) or held it and it expired (false, row cleaned up). */
export function planRelease(
  locks: Database<Buffer, Buffer>,
  name: string,
  owner: string,
  now: () => number,
): Plan<boolean> {
  const key = lockKey(name);
  return () => {
    const current = read(locks, key);
    if (!current || current.owner !== owner) return { result: false, writes: [] };
    return {
      result: current.expiresAt > now(),
      writes: [{ type: 'delete', table: LOCKS_TABLE, key }],
    };
  };
}
