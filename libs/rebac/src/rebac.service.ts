import type { Page } from '@nexus/core';
import { DomainError, PermissionDeniedError } from '@nexus/core';
import { Injectable, Logger } from '@nestjs/common';
import { ListCache } from './cache/list-cache';
import { CheckPipeline } from './check/check-pipeline';
import { failClosed } from './fail-closed';
import { cursorAfter, pageLimit, pageSorted } from './paging';
import {
  RebacErrorCode,
  RebacOverloadedError,
  RebacValidationError,
  TooManyItemsError,
} from './rebac.errors';
import type {
  BatchCheckItem,
  BatchCheckRequest,
  BatchCheckResult,
  CheckRequest,
  CheckResult,
  ExpandRequest,
  ExpandResult,
  ExplainResult,
  ListObjectsRequest,
  ListSubjectsRequest,
} from './rebac.types';
import { assertContextual, assertRelation, parseCheckInput } from './request-shape';
import { encodeRevision } from './revision';
import { assertObjectRef, assertSubjectRef, isValidName, normalizeSubject } from './tuple/tuple-parsing';
import type { ObjectRef, SubjectRef } from './tuple/tuple.types';
import { formatSubject } from './tuple/tuple.types';
import type { ResolvedZone } from './zone/zone-resolver';
import { ZoneResolver } from './zone/zone-resolver';

export const MAX_BATCH_CHECKS = 1_000;

/**
 * The permission engine's questions, for one zone at a time: check, batch check,
 * expand, explain, list objects and list subjects. Every answer carries the
 * revision it was computed at. Checks go through the check pipeline (validate,
 * cache, coalesce, evaluate). Evaluation fails closed.
 */
@Injectable()
export class RebacService {
  private readonly logger = new Logger('RebacService');

  constructor(
    private readonly zones: ZoneResolver,
    private readonly checks: CheckPipeline,
    private readonly lists: ListCache,
  ) {}

  private listCacheKey(zoneId: string, key: unknown): string {
    return `${zoneId}\u0000${JSON.stringify(key)}`;
  }

  /** The complete list in the cache for the zone state a request resolved to, if any. */
  private cachedList<T>(zoneId: string, zone: ResolvedZone, key: unknown, cacheable: boolean) {
    if (!cacheable || !zone.useCache) return undefined;
    const { revision, modelVersion } = zone.state;
    return this.lists.get<T>(this.listCacheKey(zoneId, key), revision, modelVersion);
  }

  /** A complete list, from the list cache when the zone state it was computed at is still current. */
  private async completeList<T>(
    zoneId: string,
    zone: ResolvedZone,
    key: unknown,
    cacheable: boolean,
    compute: () => Promise<T[]>,
  ): Promise<readonly T[]> {
    const cached = this.cachedList<T>(zoneId, zone, key, cacheable);
    if (cached) return cached;
    const items = await compute();
    const { revision, modelVersion } = zone.state;
    if (cacheable) this.lists.set(this.listCacheKey(zoneId, key), revision, modelVersion, items);
    return items;
  }

  async check(zoneId: string, request: CheckRequest): Promise<CheckResult> {
    return failClosed('check', async () => {
      const zone = await this.zones.resolve(zoneId, request?.consistency);
      const allowed = await this.checks.check({ zone, check: request });
      return { allowed, revision: encodeRevision(zone.state.revision) };
    });
  }

  /** The permission gate: true only when the check says so; any error (logged) denies. */
  async isAllowed(
    zoneId: string,
    object: ObjectRef,
    relation: string,
    subject: SubjectRef,
  ): Promise<boolean> {
    try {
      return (await this.check(zoneId, { object, relation, subject })).allowed;
    } catch (error) {
      const code = error instanceof DomainError ? error.code : 'unexpected error';
      this.logger.warn(`permission check denied on error ${code}`);
      return false;
    }
  }

  /**
   * The gate for other domains: returns when allowed, throws PermissionDeniedError
   * (403) when not; evaluation errors propagate typed (REBAC_UNAVAILABLE is 503).
   */
  async assertAllowed(
    zoneId: string,
    object: ObjectRef,
    relation: string,
    subject: SubjectRef,
  ): Promise<void> {
    const { allowed } = await this.check(zoneId, { object, relation, subject });
    if (!allowed) {
      throw new PermissionDeniedError(
        `${formatSubject(subject)} may not ${relation} ${object.type}:${object.id}`,
        RebacErrorCode.PERMISSION_DENIED,
        {
          object,
          relation,
        },
      );
    }
  }

  /** Up to 1,000 checks at one revision; each result stands alone (an invalid check fails only itself). */
  async batchCheck(zoneId: string, request: BatchCheckRequest): Promise<BatchCheckResult> {
    return failClosed('batch check', async () => {
      if (!Array.isArray(request?.checks)) throw new RebacValidationError('checks must be an array');
      if (request.checks.length > MAX_BATCH_CHECKS)
        throw new TooManyItemsError('checks', MAX_BATCH_CHECKS, request.checks.length);
      const zone = await this.zones.resolve(zoneId, request.consistency);
      // Issued together, the checks reach the coalescing stage in one turn: one evaluation.
      const results = await Promise.all(
        request.checks.map((check) =>
          this.checks.check({ zone, check }).then((allowed): BatchCheckItem => ({ allowed }), failure),
        ),
      );
      return { results, revision: encodeRevision(zone.state.revision) };
    });
  }

  async expand(zoneId: string, request: ExpandRequest): Promise<ExpandResult> {
    return failClosed('expand', async () => {
      assertObjectRef(request?.object);
      assertRelation(request.relation);
      const zone = await this.zones.resolve(zoneId, request.consistency);
      const tree = await zone.engine.expand(request.object, request.relation);
      return { tree, revision: encodeRevision(zone.state.revision) };
    });
  }

  async explain(zoneId: string, request: CheckRequest): Promise<ExplainResult> {
    return failClosed('explain', async () => {
      const input = parseCheckInput(request);
      const zone = await this.zones.resolve(zoneId, request.consistency);
      const explanation = await zone.engine.explain(input);
      return { ...explanation, revision: encodeRevision(zone.state.revision) };
    });
  }

  /** Objects of a type the subject holds the relation on: complete and paged by id. */
  async listObjects(
    zoneId: string,
    request: ListObjectsRequest,
  ): Promise<Page<ObjectRef> & { revision: string }> {
    return failClosed('list objects', async () => {
      if (!isValidName(request?.type)) throw new RebacValidationError('type is not a valid type name');
      assertRelation(request.relation);
      assertSubjectRef(request.subject);
      assertContextual(request.contextualTuples);
      const zone = await this.zones.resolve(zoneId, request.consistency);
      const subject = normalizeSubject(request.subject);
      const revision = encodeRevision(zone.state.revision);
      const key = ['objects', request.type, request.relation, subject];
      const cacheable = !request.contextualTuples?.length;
      if (request.cursor === undefined && !this.cachedList(zoneId, zone, key, cacheable)) {
        // The first page without the whole list: most callers read only that.
        const first = await zone.engine.listObjectsFirstPage(
          { ...request, subject },
          pageLimit(request.limit),
        );
        if (first) {
          const last = first.ids[first.ids.length - 1];
          return {
            items: first.ids.map((id) => ({ type: request.type, id })),
            nextCursor: first.more && last !== undefined ? cursorAfter(last) : null,
            revision,
          };
        }
      }
      const ids = await this.completeList(zoneId, zone, key, cacheable, () =>
        zone.engine.listObjects({ ...request, subject }),
      );
      const page = pageSorted(ids, (id) => id, request.limit, request.cursor);
      return { ...page, items: page.items.map((id) => ({ type: request.type, id })), revision };
    });
  }

  /** Subjects matching the filters that hold object#relation: complete and paged. */
  async listSubjects(
    zoneId: string,
    request: ListSubjectsRequest,
  ): Promise<Page<SubjectRef> & { revision: string }> {
    return failClosed('list subjects', async () => {
      assertObjectRef(request?.object);
      assertRelation(request.relation);
      if (!Array.isArray(request.subjectFilters))
        throw new RebacValidationError('subjectFilters must be an array');
      for (const filter of request.subjectFilters) {
        if (
          !isValidName(filter?.type) ||
          (filter.relation !== undefined && filter.relation !== '' && !isValidName(filter.relation))
        ) {
          throw new RebacValidationError('a subject filter must be {type, relation?}');
        }
      }
      assertContextual(request.contextualTuples);
      const zone = await this.zones.resolve(zoneId, request.consistency);
      const filters = request.subjectFilters.map((f) =>
        f.relation ? { type: f.type, relation: f.relation } : { type: f.type },
      );
      const object = { type: request.object.type, id: request.object.id };
      const subjects = await this.completeList(
        zoneId,
        zone,
        ['subjects', object, request.relation, filters],
        !request.contextualTuples?.length,
        () =>
          zone.engine.listSubjects({
            object,
            relation: request.relation,
            filters,
            contextualTuples: request.contextualTuples,
          }),
      );
      const page = pageSorted(subjects, formatSubject, request.limit, request.cursor);
      return { ...page, revision: encodeRevision(zone.state.revision) };
    });
  }
}

/**
 * A batch item's typed error; anything else fails the whole batch (closed), and
 * so does a shed check: the batch answers 503 with Retry-After, not a partial result.
 */
function failure(error: unknown): BatchCheckItem {
  if (error instanceof DomainError && !(error instanceof RebacOverloadedError))
    return { allowed: false, error: { code: error.code, message: error.message } };
  throw error;
}
