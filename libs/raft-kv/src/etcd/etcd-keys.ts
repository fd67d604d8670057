import { prefixEnd } from '../codecs';
import { invalidArgument } from '../kv.errors';

/**
 * Where tables live in etcd's one keyspace: `<namespace>t/<table>/<key bytes>`.
 * Table names use [a-z0-9_], all above '/', so etcd's byte order sorts tables
 * by name and then keys by bytes — the order the embedded engine keeps. Locks
 * are rows of sm_locks and zone counters rows of revisions, like any table.
 */
export class EtcdKeyspace {
  readonly root: Buffer;
  private readonly tablesPrefix: Buffer;

  constructor(namespace: string) {
    if (namespace.length === 0 || !namespace.endsWith('/')) {
      throw invalidArgument(`An etcd namespace must end with "/", not ${JSON.stringify(namespace)}`);
    }
    this.root = Buffer.from(namespace, 'utf8');
    this.tablesPrefix = Buffer.concat([this.root, Buffer.from('t/')]);
  }

  tablePrefix(table: string): Buffer {
    return Buffer.concat([this.tablesPrefix, Buffer.from(`${table}/`, 'utf8')]);
  }

  /** The first key after every key of `table`. */
  tableEnd(table: string): Buffer {
    return Buffer.concat([this.tablesPrefix, Buffer.from(`${table}0`, 'utf8')]);
  }

  key(table: string, key: Uint8Array): Buffer {
    return Buffer.concat([this.tablePrefix(table), key]);
  }

  /** The etcd key range [start, end) for a table range; `end` undefined: to the end of the table. */
  range(table: string, start: Uint8Array, end: Uint8Array | undefined): { key: Buffer; rangeEnd: Buffer } {
    return {
      key: this.key(table, start),
      rangeEnd: end === undefined ? this.tableEnd(table) : this.key(table, end),
    };
  }

  /** All table keys: [start, end). */
  allTables(): { key: Buffer; rangeEnd: Buffer } {
    return { key: this.tablesPrefix, rangeEnd: Buffer.from(prefixEnd(this.tablesPrefix) ?? []) };
  }

  /** Splits an etcd key of this namespace into table and key; undefined for other keys. */
  parse(fullKey: Buffer): { table: string; key: Uint8Array } | undefined {
    if (
      fullKey.length <= this.tablesPrefix.length ||
      !fullKey.subarray(0, this.tablesPrefix.length).equals(this.tablesPrefix)
    ) {
      return undefined;
    }
    const rest = fullKey.subarray(this.tablesPrefix.length);
    const slash = rest.indexOf(0x2f);
    if (slash <= 0) return undefined;
    return { table: rest.toString('utf8', 0, slash), key: Uint8Array.prototype.slice.call(rest, slash + 1) };
  }
}
