import type { Etcd3, IKeyValue } from 'etcd3';
import { EtcdLeaseInvalidError } from 'etcd3';
import { jsonCodec, stringCodec } from '../codecs';
import type { LockGrant } from '../kv-store';
import { LOCKS_TABLE } from '../kv-store';
import type { EtcdKeyspace } from './etcd-keys';

/** How the store reaches etcd: the client, its key layout, and error translation. */
export interface EtcdContext {
  readonly client: Etcd3;
  readonly keys: EtcdKeyspace;
  /** Deadline of one etcd request. */
  readonly timeoutMs: number;
  call<T>(operation: () => Promise<T>): Promise<T>;
}

const records = jsonCodec<{ owner: string }>();

/** etcd leases count whole seconds; the server raises short ones to its minimum (1.5 × election timeout). */
export function leaseSeconds(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}

function ownerOf(kv: IKeyValue | undefined): string | undefined {
  if (!kv) return undefined;
  try {
    return records.decode(kv.value).owner;
  } catch {
    return undefined;
  }
}

/**
 * TTL locks on etcd: a lock is the key sm_locks/<name> attached to a lease of
 * its TTL, created only when absent (compare create_revision = 0) — so etcd's
 * Raft log decides between contenders, and the lease's expiry deletes it. The
 * fencing token is the key's create_revision: the etcd revision of the put that
 * acquired it, which grows with every acquisition. Renew and release check the
 * owner first and then act on exactly the key revision (or lease) they read.
 */
export class EtcdLocks {
  constructor(private readonly etcd: EtcdContext) {}

  private key(name: string): Buffer {
    return this.etcd.keys.key(LOCKS_TABLE, stringCodec.encode(name));
  }

  private grant(ttlMs: number): Promise<string> {
    return this.etcd.call(
      async () => (await this.etcd.client.leaseClient.leaseGrant({ TTL: leaseSeconds(ttlMs) })).ID,
    );
  }

  /** Revokes a lease; false when it no longer exists (expired or revoked). */
  private async revoke(lease: string): Promise<boolean> {
    try {
      await this.etcd.call(() => this.etcd.client.leaseClient.leaseRevoke({ ID: lease }));
      return true;
    } catch (error) {
      if (
        error instanceof EtcdLeaseInvalidError ||
        (error instanceof Error && error.cause instanceof EtcdLeaseInvalidError)
      ) {
        return false;
      }
      throw error;
    }
  }

  private async read(key: Buffer): Promise<IKeyValue | undefined> {
    const response = await this.etcd.call(() => this.etcd.client.kv.range({ key }));
    return response.kvs[0];
  }

  /** The holder; an expired lease has already removed the key. */
  async owner(name: string): Promise<string | null> {
    return ownerOf(await this.read(this.key(name))) ?? null;
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<LockGrant | null> {
    const key = this.key(name);
    const lease = await this.grant(ttlMs);
    const response = await this.etcd.call(() =>
      this.etcd.client.kv.txn({
        compare: [{ key, target: 'Create', result: 'Equal', create_revision: 0 }],
        success: [{ request_put: { key, value: Buffer.from(records.encode({ owner })), lease } }],
        failure: [{ request_range: { key } }],
      }),
    );
    if (response.succeeded) return { fencingToken: BigInt(response.header.revision) };
    const holder = response.responses[0]?.response_range.kvs[0];
    // A retried call whose first attempt committed finds the key on our own lease: that is our acquisition.
    if (holder && holder.lease === lease) return { fencingToken: BigInt(holder.create_revision) };
    await this.revoke(lease);
    if (!holder || ownerOf(holder) !== owner) return null;
    // The holder asks again (e.g. a retry after a lost answer): extend, keep the token.
    return (await this.extend(key, holder, owner, ttlMs))
      ? { fencingToken: BigInt(holder.create_revision) }
      : null;
  }

  async renew(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const key = this.key(name);
    const holder = await this.read(key);
    if (!holder || ownerOf(holder) !== owner) return false;
    return this.extend(key, holder, owner, ttlMs);
  }

  /** Moves the key, unchanged since `holder` was read, onto a fresh lease of `ttlMs`. */
  private async extend(key: Buffer, holder: IKeyValue, owner: string, ttlMs: number): Promise<boolean> {
    const lease = await this.grant(ttlMs);
    const response = await this.etcd.call(() =>
      this.etcd.client.kv.txn({
        compare: [
          { key, target: 'Create', result: 'Equal', create_revision: holder.create_revision },
          { key, target: 'Mod', result: 'Equal', mod_revision: holder.mod_revision },
        ],
        success: [{ request_put: { key, value: Buffer.from(records.encode({ owner })), lease } }],
      }),
    );
    if (!response.succeeded) {
      await this.revoke(lease);
      return false;
    }
    if (holder.lease !== '0') await this.revoke(holder.lease);
    return true;
  }

  /**
   * Revoking the holder's lease deletes the key atomically. If the lock expired
   * and someone else took it meanwhile, their key hangs on their own lease and
   * ours no longer exists: nothing changes and the answer is false.
   */
  async release(name: string, owner: string): Promise<boolean> {
    const holder = await this.read(this.key(name));
    if (!holder || ownerOf(holder) !== owner || holder.lease === '0') return false;
    return this.revoke(holder.lease);
  }
}
