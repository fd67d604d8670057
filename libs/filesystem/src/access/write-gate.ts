import { Injectable } from '@nestjs/common';
import { ConflictError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { FilePath } from '../entities/file-path.entity';
import { FsErrorCode, concurrentChange } from '../filesystem.errors';
import { FileRows } from '../store/file-rows';
import { ancestorsOf } from '../store/path-locks';
import { FsAccess } from './fs-access';
import type { FileRelation } from './fs-access';

/** What a permission decision about `path` rested on: the entry, or the nearest existing ancestor it would be created under. */
export interface AccessBasis {
  path: string;
  target: FilePath | null;
  /** The nearest existing ancestor (null: `/`), when the target does not exist. */
  anchor: FilePath | null;
  /** Every live entry on the path (its ancestors below `/` and the target), as read with the decision. */
  chain: ReadonlyMap<string, FilePath>;
}

/**
 * Checks a mutation's permissions before its transaction (rebac reads use
 * their own connections, which must not wait inside an open transaction) and
 * lets the transaction confirm, under its path locks, that nothing the
 * decision rested on changed meanwhile.
 */
@Injectable()
export class WriteGate {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: FsAccess,
  ) {}

  /** Requires `relation` on the entry at `path`, or editor on the directory it would be created in. */
  async check(principal: Principal, path: string, relation: FileRelation = 'editor'): Promise<AccessBasis> {
    const basis = await this.basis(this.dataSource.manager, principal.zoneId, path);
    if (basis.target) await this.access.require(principal, basis.target.id, relation, path);
    else await this.access.require(principal, basis.anchor?.id ?? null, 'editor', basis.anchor?.path ?? '/');
    return basis;
  }

  /**
   * Checks every target, then runs the mutation, which must `confirm` each
   * basis under its locks; when one changed in between, checks and runs again.
   * `checked` are the targets' bases when the caller has just checked them
   * (the first attempt uses them rather than asking rebac twice).
   */
  async guarded<T>(
    principal: Principal,
    targets: readonly { path: string; relation?: FileRelation }[],
    run: (bases: AccessBasis[]) => Promise<T>,
    checked?: readonly AccessBasis[],
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const bases: AccessBasis[] = attempt === 1 && checked ? [...checked] : [];
      if (bases.length === 0)
        for (const target of targets) bases.push(await this.check(principal, target.path, target.relation));
      try {
        return await run(bases);
      } catch (error) {
        if (!(error instanceof ConflictError && error.code === FsErrorCode.ConcurrentChange) || attempt >= 3)
          throw error;
      }
    }
  }

  /**
   * Inside the transaction: throws CONCURRENT_CHANGE (409) when the entries the decision used changed.
   * Resolves the basis as read now; under the caller's path locks its rows stay current until commit.
   */
  async confirm(manager: EntityManager, zoneId: string, checked: AccessBasis): Promise<AccessBasis> {
    const now = await this.basis(manager, zoneId, checked.path);
    const same = (a: FilePath | null, b: FilePath | null) => (a?.id ?? null) === (b?.id ?? null);
    if (!same(now.target, checked.target) || !same(now.anchor, checked.anchor))
      throw concurrentChange(checked.path, 'changed while the request ran');
    return now;
  }

  private async basis(manager: EntityManager, zoneId: string, path: string): Promise<AccessBasis> {
    const rows = await FileRows.findMany(manager, zoneId, [
      ...ancestorsOf(path).filter((p) => p !== '/'),
      path,
    ]);
    const byPath = new Map(rows.map((row) => [row.path, row]));
    const target = byPath.get(path) ?? null;
    let anchor: FilePath | null = null;
    if (!target) {
      for (const ancestor of ancestorsOf(path).reverse()) {
        const row = byPath.get(ancestor);
        if (row) {
          anchor = row;
          break;
        }
      }
    }
    return { path, target, anchor, chain: byPath };
  }
}
