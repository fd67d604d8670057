import { BIGINT_AS_NUMBER } from '@nexus/filesystem';
import type { FileMetadata } from '@nexus/filesystem';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How much of a file the index holds: `text` — name, metadata and content
 * (byte trigrams and terms); `binary` (a NUL byte in the content) and `large`
 * (over NEXUS_SEARCH_MAX_BYTES) — name and metadata only.
 */
export const INDEXED_CONTENT_KINDS = ['text', 'binary', 'large'] as const;
export type IndexedContentKind = (typeof INDEXED_CONTENT_KINDS)[number];

/**
 * The search index's row for one live file (its id is the file's id): kept in
 * step with the file by the `search.index` event consumer. Paths use the "C"
 * collation so a path prefix is a btree range scan.
 */
@Entity('search_documents')
// Not unique: within one batch a path can pass from one file to another (the batch ends consistent).
@Index('IDX_search_documents_zone_path', ['zoneId', 'path'])
@Index('UQ_search_documents_doc_no', ['docNo'], { unique: true })
export class SearchDocument {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'text', collation: 'C' })
  path: string;

  /** The file version whose content is indexed. */
  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'char', length: 64 })
  contentHash: string;

  @Column({ type: 'bigint', transformer: BIGINT_AS_NUMBER })
  size: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  mimeType: string | null;

  @Column({ type: 'varchar', length: 8 })
  contentKind: IndexedContentKind;

  @Column({ type: 'jsonb', default: {} })
  metadata: FileMetadata;

  @Column({ type: 'text', array: true, default: '{}' })
  tags: string[];

  /**
   * The number the postings (full-text terms and grep's byte trigrams) know
   * this content by: a new one (from search_doc_no_seq) each time the content
   * is indexed, so postings of replaced or deleted content match no row and
   * are skipped without being rewritten (compaction drops them).
   */
  @Column({ type: 'bigint', transformer: BIGINT_AS_NUMBER })
  docNo: number;

  /** The content's length in tokens (BM25's document length); 0 for binary and large files. */
  @Column({ type: 'int', default: 0 })
  termCount: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  indexedAt: Date;
}
