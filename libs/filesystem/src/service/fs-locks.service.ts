import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LockedError, ValidationError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { KV_LIMITS, KvStore } from '@nexus/raft-kv';
import { actorOf } from '../access/fs-actor';
import { WriteGate } from '../access/write-gate';
import { lockNotFound } from '../filesystem.errors';
import { normalizePath } from '../path/zone-path';
import { ancestorsOf } from '../store/path-locks';

export interface FsLockView {
  path: string;
  owner: string;
  fencingToken: string;
  expiresAt: string;
}

/**
 * Advisory path locks in raft-kv (so every API process sees them). A lock on a
 * path stops other subjects' writes to it and, for a directory, to everything
 * below it (423); its holder writes freely. Locks expire after their TTL.
 */
@Injectable()
export class FsLocks {
  constructor(
    private readonly kv: KvStore,
    private readonly gate: WriteGate,
  ) {}

  static lockName(zoneId: string, path: string): string {
    return `fs:${zoneId}:${createHash('sha256').update(path).digest('hex')}`;
  }

  async lock(principal: Principal, rawPath: string, ttlMs: number): Promise<FsLockView> {
    const path = normalizePath(rawPath);
    if (!Number.isSafeInteger(ttlMs) || ttlMs < KV_LIMITS.minTtlMs || ttlMs > KV_LIMITS.maxTtlMs)
      throw new ValidationError(
        `ttlMs must be an integer from ${KV_LIMITS.minTtlMs} to ${KV_LIMITS.maxTtlMs}`,
      );
    await this.gate.check(principal, path);
    const owner = actorOf(principal);
    const grant = await this.kv.acquireLock(FsLocks.lockName(principal.zoneId, path), owner, ttlMs);
    if (!grant) throw await this.locked(principal.zoneId, path);
    return {
      path,
      owner,
      fencingToken: grant.fencingToken.toString(),
      expiresAt: new Date(Date.now() + ttlMs).toISOString(),
    };
  }

  async unlock(principal: Principal, rawPath: string): Promise<void> {
    const path = normalizePath(rawPath);
    const name = FsLocks.lockName(principal.zoneId, path);
    if (await this.kv.releaseLock(name, actorOf(principal))) return;
    const holder = await this.kv.lockOwner(name);
    if (holder === null) throw lockNotFound(path);
    throw new LockedError(`${path} is locked by ${holder}`, { path, owner: holder });
  }

  /** Throws 423 when another subject holds a lock on one of the paths or on a directory above it. */
  async assertWritable(principal: Principal, paths: readonly string[]): Promise<void> {
    const actor = actorOf(principal);
    const guarded = [...new Set(paths.flatMap((path) => [...ancestorsOf(path), path]))];
    const owners = await Promise.all(
      guarded.map((path) => this.kv.lockOwner(FsLocks.lockName(principal.zoneId, path))),
    );
    const index = owners.findIndex((owner) => owner !== null && owner !== actor);
    if (index >= 0)
      throw new LockedError(`${guarded[index]} is locked by ${owners[index]}`, {
        path: guarded[index],
        owner: owners[index],
      });
  }

  private async locked(zoneId: string, path: string): Promise<LockedError> {
    const holder = await this.kv.lockOwner(FsLocks.lockName(zoneId, path));
    return new LockedError(`${path} is locked by ${holder ?? 'another subject'}`, { path, owner: holder });
  }
}
