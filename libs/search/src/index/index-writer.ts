import type { BlobStore } from '@nexus/filesystem';
import type { EntityManager } from 'typeorm';
import { buildDocument } from './document-builder';
import type { IndexedDocument } from './document-builder';
import { liveFilesById, subtreeBounds } from './live-files';
import { writePostings } from './postings-writer';
import { mapLimited } from '../util/map-limited';
import type { LiveFile } from './live-files';

/** Documents per INSERT (11 parameters each) and per postings segment. */
const INSERT_CHUNK = 200;
/** Blobs read and analysed at once. */
const READ_CONCURRENCY = 8;

/** What a batch of events touched in one zone: entries by id, exact paths, and whole subtrees. */
export interface IndexScope {
  ids: readonly string[];
  paths: readonly string[];
  subtrees: readonly string[];
}

/**
 * Writes the search index from the source of truth (file_paths): every method
 * brings the rows it is told about to what the files are *now*, so running it
 * twice, or after later changes, converges on the same index (events are
 * delivered at least once).
 */
export class SearchIndexWriter {
  constructor(
    private readonly blobs: BlobStore,
    private readonly maxBytes: number,
  ) {}

  /** Brings everything in `scope` up to date; resolves how many documents were (re)built. */
  async sync(manager: EntityManager, zoneId: string, scope: IndexScope): Promise<number> {
    await this.removeGone(manager, zoneId, scope);
    await this.followMoves(manager, zoneId, scope.subtrees);
    return this.indexFiles(manager, zoneId, await liveFilesById(manager, zoneId, scope.ids));
  }

  /** Indexes these live files: content is read only when it changed since the row was built (or `full`). */
  async indexFiles(
    manager: EntityManager,
    zoneId: string,
    files: readonly LiveFile[],
    options: { full?: boolean } = {},
  ): Promise<number> {
    if (files.length === 0) return 0;
    const rows = await manager.query<Array<{ id: string; contentHash: string }>>(
      `SELECT id, content_hash AS "contentHash" FROM search_documents WHERE zone_id = $1 AND id = ANY($2::uuid[])`,
      [zoneId, files.map((file) => file.id)],
    );
    const indexedHash = new Map(rows.map((row) => [row.id, row.contentHash]));
    const current = (file: LiveFile) => !options.full && indexedHash.get(file.id) === file.contentHash;
    const unchanged = files.filter(current);
    const changed = files.filter((file) => !current(file));
    await this.refreshFields(manager, zoneId, unchanged);
    // A chunk is read and analysed (here, in Node) while the previous one is written (in PostgreSQL).
    let written = 0;
    let writing: Promise<void> = Promise.resolve();
    for (let i = 0; i < changed.length; i += INSERT_CHUNK) {
      const built = await mapLimited(changed.slice(i, i + INSERT_CHUNK), READ_CONCURRENCY, (file) =>
        buildDocument(file, this.blobs, this.maxBytes),
      );
      const documents = built.filter((doc): doc is IndexedDocument => doc !== null);
      await writing;
      writing = documents.length === 0 ? Promise.resolve() : this.upsert(manager, zoneId, documents);
      // Awaited above (or below); until then a failure must not count as unhandled.
      writing.catch(() => undefined);
      written += documents.length;
    }
    await writing;
    return written;
  }

  /** Drops every row of the zone whose file is no longer a live file (a reindex's last step). */
  async removeOrphans(manager: EntityManager, zoneId: string): Promise<number> {
    const [, removed] = await manager.query<[unknown[], number]>(
      `DELETE FROM search_documents d WHERE d.zone_id = $1
          AND NOT EXISTS (SELECT 1 FROM file_paths f WHERE f.id = d.id AND f.deleted_at IS NULL AND f.kind = 'file')`,
      [zoneId],
    );
    return removed;
  }

  /** Drops the rows in scope whose file is no longer a live file. */
  private async removeGone(manager: EntityManager, zoneId: string, scope: IndexScope): Promise<void> {
    const bounds = scope.subtrees.map(subtreeBounds);
    await manager.query(
      `DELETE FROM search_documents d
        WHERE d.zone_id = $1
          AND (d.id = ANY($2::uuid[]) OR d.path = ANY($3::text[])
               OR EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS b(lo, hi) WHERE d.path >= b.lo AND d.path < b.hi))
          AND NOT EXISTS (SELECT 1 FROM file_paths f
                           WHERE f.id = d.id AND f.deleted_at IS NULL AND f.kind = 'file')`,
      [zoneId, scope.ids, scope.paths, bounds.map((b) => b[0]), bounds.map((b) => b[1])],
    );
  }

  /** Rows under moved directories take their files' paths (content is unchanged by a move). */
  private async followMoves(
    manager: EntityManager,
    zoneId: string,
    subtrees: readonly string[],
  ): Promise<void> {
    if (subtrees.length === 0) return;
    const bounds = subtrees.map(subtreeBounds);
    await manager.query(
      `UPDATE search_documents d SET path = f.path, indexed_at = now()
         FROM file_paths f
        WHERE d.zone_id = $1 AND f.id = d.id AND f.deleted_at IS NULL AND d.path <> f.path
          AND EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS b(lo, hi) WHERE d.path >= b.lo AND d.path < b.hi)`,
      [zoneId, bounds.map((b) => b[0]), bounds.map((b) => b[1])],
    );
  }

  /** Path, version, metadata and tags of rows whose content is already indexed. */
  private async refreshFields(
    manager: EntityManager,
    zoneId: string,
    files: readonly LiveFile[],
  ): Promise<void> {
    if (files.length === 0) return;
    await manager.query(
      `UPDATE search_documents d
          SET path = u.path, version = u.version, mime_type = u.mime, metadata = u.metadata,
              tags = u.tags::text[], indexed_at = now()
         FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::text[])
                AS u(id, path, version, mime, metadata, tags)
        WHERE d.zone_id = $1 AND d.id = u.id`,
      [
        zoneId,
        files.map((f) => f.id),
        files.map((f) => f.path),
        files.map((f) => f.version),
        files.map((f) => f.mimeType),
        files.map((f) => JSON.stringify(f.metadata)),
        // Each file's tags as one array literal (ragged arrays do not unnest); tags are validated to plain characters.
        files.map((f) => `{${f.tags.map((tag) => `"${tag}"`).join(',')}}`),
      ],
    );
  }

  /** Writes the rows (each under a new doc_no) and their postings (terms and trigrams). */
  private async upsert(
    manager: EntityManager,
    zoneId: string,
    documents: readonly IndexedDocument[],
  ): Promise<void> {
    const params: unknown[] = [];
    const rows = documents.map((doc) => {
      const base = params.length;
      params.push(
        doc.id,
        zoneId,
        doc.path,
        doc.version,
        doc.contentHash,
        doc.size,
        doc.mimeType,
        doc.contentKind,
        JSON.stringify(doc.metadata),
        doc.tags,
        doc.analysis?.termCount ?? 0,
      );
      const p = (i: number) => `$${base + i}`;
      return `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}, ${p(4)}::int, ${p(5)}, ${p(6)}::bigint, ${p(7)}, ${p(8)}, ${p(9)}::jsonb, ${p(10)}::text[], ${p(11)}::int, nextval('search_doc_no_seq'), now())`;
    });
    const written = await manager.query<Array<{ id: string; docNo: string }>>(
      `INSERT INTO search_documents
         (id, zone_id, path, version, content_hash, size, mime_type, content_kind, metadata, tags,
          term_count, doc_no, indexed_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (id) DO UPDATE SET
         path = EXCLUDED.path, version = EXCLUDED.version, content_hash = EXCLUDED.content_hash,
         size = EXCLUDED.size, mime_type = EXCLUDED.mime_type, content_kind = EXCLUDED.content_kind,
         metadata = EXCLUDED.metadata, tags = EXCLUDED.tags,
         term_count = EXCLUDED.term_count, doc_no = EXCLUDED.doc_no, indexed_at = now()
       RETURNING id, doc_no AS "docNo"`,
      params,
    );
    const docNoOf = new Map(written.map((row) => [row.id, Number(row.docNo)]));
    await writePostings(
      manager,
      zoneId,
      documents.map((doc) => ({ docNo: docNoOf.get(doc.id)!, analysis: doc.analysis })),
    );
  }
}
