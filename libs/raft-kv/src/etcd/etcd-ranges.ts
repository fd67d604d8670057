import type { IRangeRequest } from 'etcd3';
import type { KvEntry } from '../kv-store';
import type { EtcdContext } from './etcd-locks';

const PAGE = 1_000;

export interface RangeSpec {
  key: Buffer;
  rangeEnd: Buffer;
  limit?: number;
  reverse?: boolean;
  /** Start after `key` instead of at it. */
  after?: boolean;
  /** Read at this etcd revision (snapshot export); default: the first page's. */
  revision?: string;
}

/** Multi-request reads: paged ranges and the table list. */
export class EtcdRanges {
  constructor(private readonly etcd: EtcdContext) {}

  /** Pages through [key, rangeEnd) at one etcd revision (the first page's), so the result is consistent. */
  async read(table: string, spec: RangeSpec): Promise<KvEntry[]> {
    const prefixLength = this.etcd.keys.tablePrefix(table).length;
    const want = spec.limit ?? Number.POSITIVE_INFINITY;
    let lower = spec.after ? Buffer.concat([spec.key, Buffer.from([0])]) : spec.key;
    let upper = spec.rangeEnd;
    let revision = spec.revision;
    const out: KvEntry[] = [];
    while (out.length < want) {
      const request: IRangeRequest = {
        key: lower,
        range_end: upper,
        limit: Math.min(PAGE, want - out.length),
        sort_order: spec.reverse ? 'Descend' : 'Ascend',
        sort_target: 'Key',
      };
      if (revision !== undefined) request.revision = revision;
      const response = await this.etcd.call(() => this.etcd.client.kv.range(request));
      revision ??= response.header.revision;
      for (const kv of response.kvs)
        out.push({ key: Uint8Array.prototype.slice.call(kv.key, prefixLength), value: kv.value });
      const last = response.kvs[response.kvs.length - 1];
      if (!response.more || !last) break;
      if (spec.reverse) upper = last.key;
      else lower = Buffer.concat([last.key, Buffer.from([0])]);
    }
    return out;
  }

  /** Skip-scan: one keys-only read of limit 1 per table. */
  async tables(revision: string | undefined): Promise<string[]> {
    const all = this.etcd.keys.allTables();
    const tables: string[] = [];
    let from = all.key;
    for (;;) {
      const request: IRangeRequest = { key: from, range_end: all.rangeEnd, limit: 1, keys_only: true };
      if (revision !== undefined) request.revision = revision;
      const response = await this.etcd.call(() => this.etcd.client.kv.range(request));
      const first = response.kvs[0];
      const parsed = first && this.etcd.keys.parse(first.key);
      if (!parsed) return tables;
      tables.push(parsed.table);
      from = this.etcd.keys.tableEnd(parsed.table);
    }
  }
}
