import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A live text file's embedding for hybrid ranking (its id is the file's id),
 * kept by the `search.embed` consumer. `contentHash` and `model` say what was
 * embedded: a query uses a vector only while both still match the document
 * and the configured provider. No vector extension is available (no pgvector
 * for the PostgreSQL we run), so the vector is float32 little-endian bytes,
 * stored EXTERNAL (uncompressed: floats do not compress, and the scan reads
 * every vector) — the migration sets that, TypeORM cannot express it.
 */
@Entity('search_embeddings')
// (zone, id): a query's scan walks one zone's rows in id order (keyset pages).
@Index('IDX_search_embeddings_zone', ['zoneId', 'id'])
export class SearchEmbedding {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'char', length: 64 })
  contentHash: string;

  @Column({ type: 'varchar', length: 200 })
  model: string;

  @Column({ type: 'int' })
  dimensions: number;

  @Column({ type: 'bytea' })
  vector: Buffer;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  embeddedAt: Date;
}
