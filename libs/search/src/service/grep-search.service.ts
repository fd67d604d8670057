import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { BLOB_STORE, FsAccess, fileNotFound, normalizePath, versionNotFound } from '@nexus/filesystem';
import type { BlobStore } from '@nexus/filesystem';
import { DataSource } from 'typeorm';
import { InvalidGlobError, compileGlob } from '../glob/glob-query';
import { InvalidPatternError, compileGrep } from '../grep/grep-pattern';
import type { CompiledGrep, GrepOptions } from '../grep/grep-pattern';
import type { GrepContentResult, GrepLineMatch } from '../grep/grep-lines';
import { GrepPool } from '../grep/grep-pool';
import { trigramQuery } from '../grep/byte-trigrams';
import { trigramCandidates } from '../index/postings-reader';
import { subtreeBounds } from '../index/live-files';
import { readableInPathOrder } from './readable-scan';

export const GREP_LIMITS = {
  maxMatches: { default: 1_000, max: 100_000 },
  maxFiles: { default: 1_000, max: 100_000 },
  context: { max: 100 },
  /** Bytes read and verified per request. */
  maxBytes: 1024 ** 3,
  /** Wall time per request. */
  maxMillis: 10_000,
} as const;

export interface GrepRequest extends GrepOptions {
  pattern: string;
  /** A directory (everything below it) or one file; default `/`. */
  path?: string;
  /** A picomatch glob relative to `path` the files must match. */
  glob?: string;
  contextBefore?: number;
  contextAfter?: number;
  maxMatches?: number;
  maxFiles?: number;
  /** With `path` naming a file: search this version of it. */
  version?: number;
}

export interface GrepMatch extends GrepLineMatch {
  path: string;
  version: number;
}

export type GrepTruncation = 'matches' | 'files' | 'bytes' | 'time';

export interface GrepResult {
  matches: GrepMatch[];
  filesSearched: number;
  bytesScanned: number;
  truncated: boolean;
  truncatedBy: GrepTruncation | null;
}

interface Candidate {
  id: string;
  path: string;
  version: number;
  contentHash: string;
  size: number;
}

/** Candidates read per round (the permission check is batched per round). */
const SCAN_PAGE = 500;
/** Trigram candidates up to which they narrow the scan (each page looks them all up). */
const MAX_CANDIDATES = 20_000;
/** Files read and verified ahead of the one being reported. */
const VERIFY_AHEAD = 32;

function invalid(field: string, reason: string, code: string): ValidationError {
  return new ValidationError(`${field}: ${reason}`, { field }, code);
}

/**
 * grep: RE2 patterns (re2js, linear time) over the indexed text files. The
 * pattern's required literals become byte-trigram sets that the trigram
 * postings narrow the files to (by doc_no); only those candidates are
 * read and verified line by line. Order is (path, line); limits on matches,
 * files, bytes and time end the search early with `truncated`.
 */
@Injectable()
export class GrepSearch {
  constructor(
    private readonly db: DataSource,
    private readonly access: FsAccess,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  private readonly pool = GrepPool.shared();

  async grep(principal: Principal, request: GrepRequest): Promise<GrepResult> {
    const compiled = this.compile(request);
    const path = normalizePath(request.path ?? '/');
    if (request.version !== undefined)
      return this.grepVersion(principal, path, request.version, compiled, request);
    const glob = request.glob ? this.compileGlob(request.glob, path) : null;
    const trigrams = request.invert ? null : trigramQuery(compiled.required);
    const [low, high] = subtreeBounds(path);
    const columns = `d.id, d.path, d.version, d.content_hash AS "contentHash", d.size::float8 AS size`;
    const scope = `d.zone_id = $1 AND d.content_kind = 'text' AND d.path > $2
        AND (d.path = $3 OR (d.path >= $4 AND d.path < $5)) AND ($6::text IS NULL OR d.path ~ $6)`;
    // The candidates' doc_nos come from the trigram postings; past MAX_CANDIDATES the
    // narrowing is dropped (a scan in path order, bounded by the limits, reads no more).
    const docNos = trigrams ? await trigramCandidates(this.db, principal.zoneId, trigrams) : null;
    const narrowed = docNos !== null && docNos.size <= MAX_CANDIDATES;
    // The candidates by doc_no first (its unique index), then the scope: on young statistics the
    // planner would rather scan the zone's rows by path and test each doc_no.
    const sql = narrowed
      ? `WITH d AS MATERIALIZED (
           SELECT id, zone_id, path, version, content_hash, size, content_kind FROM search_documents
            WHERE doc_no = ANY($8::bigint[]))
         SELECT ${columns} FROM d WHERE ${scope} ORDER BY d.path LIMIT $7`
      : `SELECT ${columns} FROM search_documents d WHERE ${scope} ORDER BY d.path LIMIT $7`;
    const candidateList = narrowed ? `{${[...docNos].join(',')}}` : null;
    const fetchPage = (after: string, n: number) => {
      if (narrowed && docNos.size === 0) return Promise.resolve([]);
      const params: unknown[] = [principal.zoneId, after, path, low, high, glob, n];
      if (narrowed) params.push(candidateList);
      return this.db.query<Candidate[]>(sql, params);
    };
    const candidates = readableInPathOrder(this.access, principal, fetchPage, '', SCAN_PAGE);
    return this.verify(candidates, compiled, request);
  }

  private compile(request: GrepRequest): CompiledGrep {
    for (const field of ['contextBefore', 'contextAfter'] as const) {
      const value = request[field];
      if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > GREP_LIMITS.context.max))
        throw invalid(field, `must be an integer from 0 to ${GREP_LIMITS.context.max}`, 'INVALID_GREP');
    }
    for (const field of ['maxMatches', 'maxFiles'] as const) {
      const value = request[field];
      if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > GREP_LIMITS[field].max))
        throw invalid(field, `must be an integer from 1 to ${GREP_LIMITS[field].max}`, 'INVALID_GREP');
    }
    try {
      return compileGrep(request.pattern, request);
    } catch (error) {
      if (error instanceof InvalidPatternError) throw invalid('pattern', error.reason, 'INVALID_PATTERN');
      throw error;
    }
  }

  private compileGlob(pattern: string, basePath: string): string {
    try {
      return compileGlob(pattern, { basePath, dot: true }).regex;
    } catch (error) {
      if (error instanceof InvalidGlobError) throw invalid('glob', error.reason, 'INVALID_GLOB');
      throw error;
    }
  }

  /** `version`: one version of one file, read from its version row (no index involved). */
  private async grepVersion(
    principal: Principal,
    path: string,
    version: number,
    compiled: CompiledGrep,
    request: GrepRequest,
  ): Promise<GrepResult> {
    if (!Number.isInteger(version) || version < 1)
      throw invalid('version', 'must be a positive integer', 'INVALID_GREP');
    const [file] = await this.db.query<Array<{ id: string; kind: string }>>(
      `SELECT id, kind FROM file_paths WHERE zone_id = $1 AND path = $2 AND deleted_at IS NULL`,
      [principal.zoneId, path],
    );
    if (!file || file.kind !== 'file') throw fileNotFound(path);
    await this.access.require(principal, file.id, 'viewer', path);
    const [row] = await this.db.query<Array<{ contentHash: string; size: number }>>(
      `SELECT content_hash AS "contentHash", size::float8 AS size FROM file_versions WHERE path_id = $1 AND version = $2`,
      [file.id, version],
    );
    if (!row) throw versionNotFound(path, version);
    async function* one(): AsyncGenerator<Candidate> {
      yield { id: file!.id, path, version, contentHash: row!.contentHash, size: row!.size };
    }
    return this.verify(one(), compiled, request);
  }

  private async verify(
    candidates: AsyncGenerator<Candidate>,
    compiled: CompiledGrep,
    request: GrepRequest,
  ): Promise<GrepResult> {
    const maxMatches = request.maxMatches ?? GREP_LIMITS.maxMatches.default;
    const maxFiles = request.maxFiles ?? GREP_LIMITS.maxFiles.default;
    const deadline = Date.now() + GREP_LIMITS.maxMillis;
    const result: GrepResult = {
      matches: [],
      filesSearched: 0,
      bytesScanned: 0,
      truncated: false,
      truncatedBy: null,
    };
    const stop = (by: GrepTruncation) => Object.assign(result, { truncated: true, truncatedBy: by });
    const options = {
      ignoreCase: request.ignoreCase,
      literal: request.literal,
      wordRegexp: request.wordRegexp,
      invert: request.invert,
      contextBefore: request.contextBefore,
      contextAfter: request.contextAfter,
    };
    let filesMatched = 0;
    let dispatchedBytes = 0;
    // Files read and verified ahead (on the pool's threads), consumed in path order.
    const pending: Array<{ candidate: Candidate; found: Promise<GrepContentResult | null> }> = [];
    const verifyAhead = (candidate: Candidate) => ({
      candidate,
      // A blob gone since the row was written (the file changed meanwhile) is skipped (null), not an error.
      found: this.pool.run(
        request.pattern,
        compiled,
        { ...options, maxMatches: maxMatches - result.matches.length },
        {
          file: this.blobs.localPath?.(candidate.contentHash),
          read: () => this.blobs.read(candidate.contentHash),
        },
      ),
    });
    const iterator = candidates[Symbol.asyncIterator]();
    let exhausted = false;
    let limit: GrepTruncation | null = null;
    const refill = async () => {
      while (!exhausted && limit === null && pending.length < VERIFY_AHEAD) {
        const next = await iterator.next();
        if (next.done) exhausted = true;
        else if (dispatchedBytes + next.value.size > GREP_LIMITS.maxBytes) limit = 'bytes';
        else if (Date.now() > deadline) limit = 'time';
        else {
          dispatchedBytes += next.value.size;
          pending.push(verifyAhead(next.value));
        }
      }
    };
    try {
      for (await refill(); pending.length > 0; await refill()) {
        const { candidate, found: verifying } = pending.shift()!;
        const found = await verifying;
        if (!found) continue;
        result.filesSearched += 1;
        result.bytesScanned += candidate.size;
        if (found.matches.length === 0) continue;
        if (filesMatched === maxFiles) return stop('files');
        filesMatched += 1;
        const room = maxMatches - result.matches.length;
        for (const match of found.matches.slice(0, room))
          result.matches.push({ path: candidate.path, version: candidate.version, ...match });
        if (result.matches.length >= maxMatches) {
          const more = found.truncated || found.matches.length > room || pending.length > 0 || !exhausted;
          return more ? stop('matches') : result;
        }
      }
      if (limit) return stop(limit);
      return result;
    } finally {
      await iterator.return?.(undefined);
    }
  }
}
