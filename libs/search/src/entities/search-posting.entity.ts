import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Buckets of full-text term hashes (a power of two): rows 0 … TERM_BUCKETS − 1. */
export const TERM_BUCKETS = 4096;
/** Buckets of byte trigrams (a power of two): rows TERM_BUCKETS … TERM_BUCKETS + TRIGRAM_BUCKETS − 1. */
export const TRIGRAM_BUCKETS = 2048;

/** The row of a term hash (FNV-1a is well mixed: its low bits will do). */
export const termBucket = (hash: number): number => hash & (TERM_BUCKETS - 1);

/** The row of a trigram: its bytes are far from uniform (letters), so they are mixed first (Fibonacci hashing). */
const TRIGRAM_SHIFT = 32 - Math.log2(TRIGRAM_BUCKETS);
export const trigramBucket = (trigram: number): number =>
  TERM_BUCKETS + (Math.imul(trigram, 0x9e3779b1) >>> TRIGRAM_SHIFT);

/**
 * One segment of a zone's postings for one bucket of keys: the entries of
 * one indexing batch (or compaction) whose key falls in the bucket, as binary
 * runs (see posting-runs.ts). Full-text entries are (term hash, doc_no, count);
 * grep's are (byte trigram, doc_no). Most terms of code occur in few files,
 * so a row per key would make indexing write nearly a row per entry, and a
 * GIN index costs a tree update per key; a row per bucket writes at most a
 * few thousand rows a batch, as bytes PostgreSQL does not parse. A query reads
 * its keys' buckets and keeps only entries whose doc_no is still a
 * document's (see SearchDocument.docNo).
 */
@Entity('search_postings')
export class SearchPosting {
  @PrimaryColumn({ type: 'uuid' })
  zoneId: string;

  /** termBucket() or trigramBucket() of the entries' keys. */
  @PrimaryColumn({ type: 'smallint' })
  bucket: number;

  /** The indexing batch (search_segment_seq). */
  @PrimaryColumn({ type: 'bigint' })
  segmentId: string;

  /** The entries' runs, appended one per batch (see posting-runs.ts). */
  @Column({ type: 'bytea' })
  data: Buffer;
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
