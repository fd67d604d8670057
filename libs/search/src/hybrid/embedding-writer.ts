import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@nexus/core';
import { BLOB_STORE } from '@nexus/filesystem';
import type { BlobStore } from '@nexus/filesystem';
import type { DataSource, EntityManager } from 'typeorm';
import { isBinaryContent } from '../index/content-analysis';
import type { IndexScope } from '../index/index-writer';
import { liveFilesById, liveFilesPage, subtreeBounds } from '../index/live-files';
import type { LiveFile } from '../index/live-files';
import { EMBEDDING_PROVIDER, SEARCH_EMBED_CHARS, SEARCH_MAX_BYTES } from '../search.tokens';
import { mapLimited } from '../util/map-limited';
import type { EmbeddingProvider } from './embedding-provider';
import { vectorToBytes } from './vector-bytes';

/** Texts per provider.embed() call (and rows per upsert). */
export const EMBED_BATCH = 32;
/** Blobs read at once. */
const READ_CONCURRENCY = 8;
/** textOf()'s answer for binary and large files. */
const NOT_TEXT = Symbol('not text');
/** Files per transaction when a reindex fills in a zone. */
const FILL_PAGE = 200;

/**
 * Writes search_embeddings from the source of truth (file_paths), like
 * SearchIndexWriter does the index: each call brings the rows it is told about
 * to what the files are now, so repeats and reorderings converge. A file is
 * (re)embedded only when its row is missing or was made from other content or
 * by another model; only text files within NEXUS_SEARCH_MAX_BYTES are embedded
 * (as the index decides its content kind). A provider failure throws: the
 * caller's transaction rolls back and is retried.
 */
@Injectable()
export class EmbeddingWriter {
  constructor(
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider | null,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(SEARCH_MAX_BYTES) private readonly maxBytes: number,
    @Inject(SEARCH_EMBED_CHARS) private readonly embedChars: number,
  ) {}

  /** Whether a provider is configured (else nothing is ever embedded). */
  get enabled(): boolean {
    return this.provider !== null;
  }

  /** Brings the embeddings of what a batch of events touched up to date; resolves how many files were embedded. */
  async sync(manager: EntityManager, zoneId: string, scope: IndexScope): Promise<number> {
    if (!this.provider) return 0;
    await this.removeGone(manager, zoneId, scope);
    return this.embedFiles(manager, zoneId, await liveFilesById(manager, zoneId, scope.ids));
  }

  /** Embeds those of `files` whose embedding is missing or stale; drops rows of files that are not text (any more). */
  async embedFiles(manager: EntityManager, zoneId: string, files: readonly LiveFile[]): Promise<number> {
    const provider = this.provider;
    if (!provider || files.length === 0) return 0;
    const rows = await manager.query<
      Array<{ id: string; contentHash: string; model: string; dimensions: number }>
    >(
      `SELECT id, content_hash AS "contentHash", model, dimensions FROM search_embeddings
        WHERE zone_id = $1 AND id = ANY($2::uuid[])`,
      [zoneId, files.map((file) => file.id)],
    );
    const existing = new Map(rows.map((row) => [row.id, row]));
    const stale = files.filter((file) => {
      const row = existing.get(file.id);
      return (
        !row ||
        row.contentHash !== file.contentHash ||
        row.model !== provider.model ||
        row.dimensions !== provider.dimensions
      );
    });
    let embedded = 0;
    const notText: string[] = [];
    for (let i = 0; i < stale.length; i += EMBED_BATCH) {
      const read = await mapLimited(stale.slice(i, i + EMBED_BATCH), READ_CONCURRENCY, (file) =>
        this.textOf(file),
      );
      const batch: Array<{ file: LiveFile; text: string }> = [];
      read.forEach((text, k) => {
        const file = stale[i + k]!;
        if (text === NOT_TEXT) notText.push(file.id);
        else if (text !== null) batch.push({ file, text });
      });
      if (batch.length === 0) continue;
      const vectors = await provider.embed(batch.map((item) => item.text));
      await this.upsert(
        manager,
        zoneId,
        batch.map(({ file }, k) => ({ file, vector: vectors[k]! })),
        provider,
      );
      embedded += batch.length;
    }
    if (notText.length > 0)
      await manager.query(`DELETE FROM search_embeddings WHERE zone_id = $1 AND id = ANY($2::uuid[])`, [
        zoneId,
        notText,
      ]);
    return embedded;
  }

  /**
   * A reindex's part: embeds every live file of the zone that lacks a current
   * embedding (a page per transaction), then drops rows of files that no
   * longer exist. Null when no provider is configured.
   */
  async fillZone(
    db: DataSource,
    zoneId: string,
    signal?: AbortSignal,
  ): Promise<{ embedded: number; removed: number } | null> {
    if (!this.provider) return null;
    let embedded = 0;
    let after = '';
    for (;;) {
      signal?.throwIfAborted();
      const page = await db.transaction(async (manager) => {
        const files = await liveFilesPage(manager, zoneId, after, FILL_PAGE);
        embedded += await this.embedFiles(manager, zoneId, files);
        return files;
      });
      if (page.length < FILL_PAGE) break;
      after = page[page.length - 1]!.path;
    }
    const [, removed] = await db.query<[unknown[], number]>(
      `DELETE FROM search_embeddings e WHERE e.zone_id = $1
          AND NOT EXISTS (SELECT 1 FROM file_paths f WHERE f.id = e.id AND f.deleted_at IS NULL AND f.kind = 'file')`,
      [zoneId],
    );
    return { embedded, removed };
  }

  /**
   * What is embedded for the file: its path, a newline, then the start of its
   * content (the path says much about a file, and a model's input is bounded).
   * NOT_TEXT for binary and large files, null when the blob is gone (the
   * later change's event embeds what the file is now).
   */
  private async textOf(file: LiveFile): Promise<string | typeof NOT_TEXT | null> {
    if (file.size > this.maxBytes) return NOT_TEXT;
    let content: Buffer;
    try {
      content = await this.blobs.read(file.contentHash);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    if (isBinaryContent(content)) return NOT_TEXT;
    // A UTF-16 unit never takes more than 4 bytes of UTF-8: decode only the start.
    const start = content.subarray(0, this.embedChars * 4).toString('utf8');
    return `${file.path}\n${start.slice(0, this.embedChars)}`;
  }

  private async upsert(
    manager: EntityManager,
    zoneId: string,
    rows: ReadonlyArray<{ file: LiveFile; vector: Float32Array }>,
    provider: EmbeddingProvider,
  ): Promise<void> {
    const params: unknown[] = [zoneId, provider.model, provider.dimensions];
    const values = rows.map(({ file, vector }) => {
      params.push(file.id, file.contentHash, vectorToBytes(vector));
      const n = params.length;
      return `($${n - 2}::uuid, $1::uuid, $${n - 1}, $2, $3::int, $${n}::bytea, now())`;
    });
    await manager.query(
      `INSERT INTO search_embeddings (id, zone_id, content_hash, model, dimensions, vector, embedded_at)
       VALUES ${values.join(', ')}
       ON CONFLICT (id) DO UPDATE SET zone_id = EXCLUDED.zone_id, content_hash = EXCLUDED.content_hash,
         model = EXCLUDED.model, dimensions = EXCLUDED.dimensions, vector = EXCLUDED.vector, embedded_at = now()`,
      params,
    );
  }

  /**
   * Drops the rows in scope whose file is no longer a live file: named by id,
   * or (deleted entries keep their path) at a path or below a subtree the
   * batch touched.
   */
  private async removeGone(manager: EntityManager, zoneId: string, scope: IndexScope): Promise<void> {
    const bounds = scope.subtrees.map(subtreeBounds);
    await manager.query(
      `DELETE FROM search_embeddings e
        WHERE e.zone_id = $1
          AND (e.id = ANY($2::uuid[])
               OR e.id IN (SELECT f.id FROM file_paths f
                            WHERE f.zone_id = $1
                              AND (f.path = ANY($3::text[])
                                   OR EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS b(lo, hi)
                                               WHERE f.path >= b.lo AND f.path < b.hi))))
          AND NOT EXISTS (SELECT 1 FROM file_paths f
                           WHERE f.id = e.id AND f.deleted_at IS NULL AND f.kind = 'file')`,
      [zoneId, scope.ids, scope.paths, bounds.map((b) => b[0]), bounds.map((b) => b[1])],
    );
  }
}
