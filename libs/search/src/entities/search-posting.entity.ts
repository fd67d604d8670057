import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Buckets the term hashes of a zone fall into (a power of two). */
export const POSTING_BUCKETS = 4096;

/**
 * One segment of a zone's full-text postings for one bucket of term hashes:
 * the (term, document, count) entries of one indexing batch whose term hash
 * falls in the bucket, as three aligned arrays (in no particular order).
 * Most terms of code (identifiers, numbers) occur in few files, so a row per
 * term would make indexing write nearly a row per entry; a row per bucket
 * writes at most POSTING_BUCKETS rows a batch. A query reads its terms'
 * buckets, keeps the entries of its terms and only those whose doc_no is
 * still a document's (see SearchDocument.docNo).
 */
@Entity('search_postings')
export class SearchPosting {
  @PrimaryColumn({ type: 'uuid' })
  zoneId: string;

  /** termHash & (POSTING_BUCKETS − 1). */
  @PrimaryColumn({ type: 'smallint' })
  bucket: number;

  /** The indexing batch (search_segment_seq). */
  @PrimaryColumn({ type: 'bigint' })
  segmentId: string;

  /** FNV-1a (32 bits, signed) of each entry's term. */
  @Column({ type: 'int', array: true })
  termHashes: number[];

  @Column({ type: 'bigint', array: true })
  docNos: string[];

  /** Occurrences of the term in the document (capped at 32767). */
  @Column({ type: 'smallint', array: true })
  counts: number[];
}

/**
 * Per zone: the segment small indexing batches append to (see writePostings),
 * so a stream of one-file batches does not add a row per term each time, and
 * what was written since the postings were last compacted.
 */
@Entity('search_open_segments')
export class SearchOpenSegment {
  @PrimaryColumn({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'bigint' })
  segmentId: string;

  /** Entries appended to it so far. */
  @Column({ type: 'int' })
  entries: number;

  /** Segments started since the last compaction. */
  @Column({ type: 'int', default: 0 })
  segments: number;

  /** Entries written since the last compaction. */
  @Column({ type: 'bigint', default: 0 })
  added: string;

  /** Entries the last compaction left. Compaction is due once as many were added (so its work stays proportional). */
  @Column({ type: 'bigint', default: 0 })
  compacted: string;
}
