import type { Database, RootDatabase } from 'lmdb';
import { invalidArgument } from '../kv.errors';

/** LMDB named databases: one per table, plus the library's own (`__meta`, `__changes`). */
export const MAX_TABLES = 250;
export const META_DB = '__meta';
export const CHANGES_DB = '__changes';
/** Room for the library's own databases on top of the tables. */
export const MAX_DBS = MAX_TABLES + 6;

/** Opens each table's LMDB database once per process (opening is a write, so never inside a transaction). */
export class LmdbTables {
  private readonly handles = new Map<string, Database<Buffer, Buffer>>();

  constructor(private readonly env: RootDatabase) {}

  open(name: string): Database<Buffer, Buffer> {
    const cached = this.handles.get(name);
    if (cached) return cached;
    let handle: Database<Buffer, Buffer>;
    try {
      handle = this.env.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary' });
    } catch (error) {
      if (error instanceof Error && /MDB_DBS_FULL/.test(error.message)) {
        throw invalidArgument(`The embedded store holds at most ${MAX_TABLES} tables`);
      }
      throw error;
    }
    this.handles.set(name, handle);
    return handle;
  }

  /** Names of the tables that exist in the environment (empty or not), sorted. */
  names(): string[] {
    const names: string[] = [];
    for (const key of this.env.getKeys()) {
      if (typeof key === 'string' && !key.startsWith('__')) names.push(key);
    }
    return names.sort();
  }

  /** Table names holding at least one entry, sorted. */
  nonEmpty(): string[] {
    return this.names().filter((name) => {
      for (const _ of this.open(name).getKeys({ limit: 1 })) return true;
      return false;
    });
  }
}
