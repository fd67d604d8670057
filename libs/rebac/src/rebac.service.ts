import type { Page } from '@nexus/core';
import { DomainError, PermissionDeniedError } from '@nexus/core';
import { Injectable, Logger } from '@nestjs/common';
import { CheckCache } from './cache/check-cache';
import type { CheckInput } from './engine/rebac-engine';
import { Outcome } from './engine/outcome';
import { outcomeToAllowed } from './engine/check-runner';
import { pageSorted } from './paging';
import { RebacValidationError, TooManyItemsError } from './rebac.errors';
import type { ResolvedZone } from './rebac.runtime';
import { RebacRuntime } from './rebac.runtime';
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
import { encodeRevision } from './revision';
import {
  assertObjectRef,
  assertSubjectRef,
  assertTupleShape,
  isValidName,
  normalizeSubject,
} from './tuple/tuple-parsing';
import type { ObjectRef, RelationTuple, SubjectRef } from './tuple/tuple.types';
import { formatSubject } from './tuple/tuple.types';

export const MAX_BATCH_CHECKS = 1_000;

function assertRelation(relation: unknown): asserts relation is string {
  if (!isValidName(relation))
    throw new RebacValidationError('relation is not a valid relation name', { relation: String(relation) });
}

function assertContextual(tuples: unknown): asserts tuples is RelationTuple[] | undefined {
  if (tuples === undefined || tuples === null) return;
  if (!Array.isArray(tuples)) throw new RebacValidationError('contextualTuples must be an array');
  for (const tuple of tuples) assertTupleShape(tuple);
}

/** Checks a check's shape before any model or database work; returns it normalised. */
function checkInput(request: Omit<CheckRequest, 'consistency'>): CheckInput {
  if (typeof request !== 'object' || request === null)
    throw new RebacValidationError('a check must be an object');
  assertObjectRef(request.object);
  assertRelation(request.relation);
  assertSubjectRef(request.subject);
  assertContextual(request.contextualTuples);
  return {
    object: { type: request.object.type, id: request.object.id },
    relation: request.relation,
    subject: normalizeSubject(request.subject),
    contextualTuples: request.contextualTuples,
  };
}

function cacheKey(input: CheckInput): string {
  const { object, relation, subject } = input;
  return CheckCache.key(object.type, object.id, relation, subject.type, subject.id, subject.relation ?? '');
}

/**
 * The permission engine's questions, for one zone at a time: check, batch check,
 * expand, explain, list objects and list subjects. Every answer carries the
 * revision it was computed at. Evaluation fails closed.
 */
@Injectable()
export class RebacService {
  private readonly logger = new Logger('RebacService');

  constructor(private readonly runtime: RebacRuntime) {}

  /** A complete list, from the list cache when the zone state it was computed at is still current. */
  private async completeList<T>(
    zoneId: string,
    zone: ResolvedZone,
    key: unknown,
    cacheable: boolean,
    compute: () => Promise<T[]>,
  ): Promise<readonly T[]> {
    const cacheKey = `${zoneId}\u0000${JSON.stringify(key)}`;
    const { revision, modelVersion } = zone.state;
    if (cacheable && zone.useCache) {
      const cached = this.runtime.lists.get<T>(cacheKey, revision, modelVersion);
      if (cached) return cached;
    }
    const items = await compute();
    if (cacheable) this.runtime.lists.set(cacheKey, revision, modelVersion, items);
    return items;
  }

  async check(zoneId: string, request: CheckRequest): Promise<CheckResult> {
    return this.runtime.guard('check', async () => {
      const input = checkInput(request);
      const zone = await this.runtime.resolve(zoneId, request.consistency);
      const revision = encodeRevision(zone.state.revision);
      const cacheable = zone.useCache && !input.contextualTuples?.length;
      const key = cacheable ? cacheKey(input) : '';
      if (cacheable) {
        const cached = this.runtime.cache.get(zoneId, zone.state.revision, zone.state.modelVersion, key);
        if (cached !== undefined) return { allowed: cached, revision };
      }
      const allowed = await zone.engine.check(input);
      if (!input.contextualTuples?.length) {
        this.runtime.cache.set(
          zoneId,
          zone.state.revision,
          zone.state.modelVersion,
          key || cacheKey(input),
          allowed,
        );
      }
      return { allowed, revision };
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
      const code = error instanceof DomainError ? error.code : 'INTERNAL';
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
        'PERMISSION_DENIED',
        {
          object,
          relation,
        },
      );
    }
  }

  /** Up to 1,000 checks; each result stands alone (an invalid check fails only itself). */
  async batchCheck(zoneId: string, request: BatchCheckRequest): Promise<BatchCheckResult> {
    return this.runtime.guard('batch check', async () => {
      if (!Array.isArray(request?.checks)) throw new RebacValidationError('checks must be an array');
      if (request.checks.length > MAX_BATCH_CHECKS)
        throw new TooManyItemsError('checks', MAX_BATCH_CHECKS, request.checks.length);
      const zone = await this.runtime.resolve(zoneId, request.consistency);
      const results: (BatchCheckItem | undefined)[] = request.checks.map(() => undefined);
      const groups = new Map<string, { inputs: CheckInput[]; indexes: number[] }>();
      request.checks.forEach((check, index) => {
        try {
          const input = checkInput(check);
          if (zone.useCache && !input.contextualTuples?.length) {
            const cached = this.runtime.cache.get(
              zoneId,
              zone.state.revision,
              zone.state.modelVersion,
              cacheKey(input),
            );
            if (cached !== undefined) {
              results[index] = { allowed: cached };
              return;
            }
          }
          const group = JSON.stringify(input.contextualTuples ?? []);
          const entry = groups.get(group) ?? { inputs: [], indexes: [] };
          entry.inputs.push(input);
          entry.indexes.push(index);
          groups.set(group, entry);
        } catch (error) {
          results[index] = failure(error);
        }
      });
      for (const group of groups.values()) await this.evaluateGroup(zoneId, zone, group, results);
      return {
        results: results.map((r) => r ?? { allowed: false }),
        revision: encodeRevision(zone.state.revision),
      };
    });
  }

  private async evaluateGroup(
    zoneId: string,
    zone: ResolvedZone,
    group: { inputs: CheckInput[]; indexes: number[] },
    results: (BatchCheckItem | undefined)[],
  ): Promise<void> {
    // Validate each check alone so one bad check does not fail its neighbours.
    const valid: { input: CheckInput; index: number }[] = [];
    group.inputs.forEach((input, i) => {
      const index = group.indexes[i] as number;
      try {
        zone.engine.validateCheck(input);
        valid.push({ input, index });
      } catch (error) {
        results[index] = failure(error);
      }
    });
    if (valid.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = await zone.engine.checkMany(
        valid.map((v) => v.input),
        valid[0]?.input.contextualTuples,
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      for (const { index } of valid) results[index] = failure(error);
      return;
    }
    valid.forEach(({ input, index }, i) => {
      try {
        const allowed = outcomeToAllowed(outcomes[i] ?? Outcome.FALSE);
        results[index] = { allowed };
        if (!input.contextualTuples?.length)
          this.runtime.cache.set(
            zoneId,
            zone.state.revision,
            zone.state.modelVersion,
            cacheKey(input),
            allowed,
          );
      } catch (error) {
        results[index] = failure(error);
      }
    });
  }

  async expand(zoneId: string, request: ExpandRequest): Promise<ExpandResult> {
    return this.runtime.guard('expand', async () => {
      assertObjectRef(request?.object);
      assertRelation(request.relation);
      const zone = await this.runtime.resolve(zoneId, request.consistency);
      const tree = await zone.engine.expand(request.object, request.relation);
      return { tree, revision: encodeRevision(zone.state.revision) };
    });
  }

  async explain(zoneId: string, request: CheckRequest): Promise<ExplainResult> {
    return this.runtime.guard('explain', async () => {
      const input = checkInput(request);
      const zone = await this.runtime.resolve(zoneId, request.consistency);
      const explanation = await zone.engine.explain(input);
      return { ...explanation, revision: encodeRevision(zone.state.revision) };
    });
  }

  /** Objects of a type the subject holds the relation on: complete and paged by id. */
  async listObjects(
    zoneId: string,
    request: ListObjectsRequest,
  ): Promise<Page<ObjectRef> & { revision: string }> {
    return this.runtime.guard('list objects', async () => {
      if (!isValidName(request?.type)) throw new RebacValidationError('type is not a valid type name');
      assertRelation(request.relation);
      assertSubjectRef(request.subject);
      assertContextual(request.contextualTuples);
      const zone = await this.runtime.resolve(zoneId, request.consistency);
      const subject = normalizeSubject(request.subject);
      const ids = await this.completeList(
        zoneId,
        zone,
        ['objects', request.type, request.relation, subject],
        !request.contextualTuples?.length,
        () => zone.engine.listObjects({ ...request, subject }),
      );
      const page = pageSorted(ids, (id) => id, request.limit, request.cursor);
      return {
        ...page,
        items: page.items.map((id) => ({ type: request.type, id })),
        revision: encodeRevision(zone.state.revision),
      };
    });
  }

  /** Subjects matching the filters that hold object#relation: complete and paged. */
  async listSubjects(
    zoneId: string,
    request: ListSubjectsRequest,
  ): Promise<Page<SubjectRef> & { revision: string }> {
    return this.runtime.guard('list subjects', async () => {
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
      const zone = await this.runtime.resolve(zoneId, request.consistency);
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

function failure(error: unknown): BatchCheckItem {
  if (error instanceof DomainError)
    return { allowed: false, error: { code: error.code, message: error.message } };
  throw error;
}
