import { readFileSync } from 'node:fs';
import { DomainError } from '@nexus/core';
import type { RelationTuple } from '../src/tuple/tuple.types';
import { formatObject, formatSubject } from '../src/tuple/tuple.types';
import { parseObject, parseSubject, parseTupleKey } from '../src/tuple/tuple-parsing';

/* The OpenFGA conformance files (see shared/conformance/openfga/README.md). */

export interface TupleKeyJson {
  object: string;
  relation: string;
  user: string;
  condition?: unknown;
}

export interface ConformanceStage {
  model: string;
  modelJson: unknown;
  tuples?: TupleKeyJson[] | null;
  checkAssertions?:
    | {
        tuple: TupleKeyJson;
        expectation?: boolean;
        errorCode?: number;
        contextualTuples?: TupleKeyJson[];
        context?: unknown;
      }[]
    | null;
  listObjectsAssertions?:
    | {
        request: { user: string; type: string; relation: string };
        expectation?: string[] | null;
        errorCode?: number;
        contextualTuples?: TupleKeyJson[];
        context?: unknown;
      }[]
    | null;
  listUsersAssertions?:
    | {
        request: { filters: string[]; object: string; relation: string };
        expectation?: string[] | null;
        errorCode?: number;
        contextualTuples?: TupleKeyJson[];
        context?: unknown;
      }[]
    | null;
}

export interface ConformanceTest {
  name: string;
  stages: ConformanceStage[];
}

export function loadConformance(path: string): ConformanceTest[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { tests: ConformanceTest[] }).tests;
}

/** OpenFGA's error codes, as our engine's stable codes. */
export const OPENFGA_ERROR_CODES: Record<number, string> = {
  2000: 'VALIDATION_FAILED',
  2002: 'RESOLUTION_TOO_COMPLEX',
  2021: 'TYPE_NOT_FOUND',
  2022: 'RELATION_NOT_FOUND',
  2027: 'INVALID_TUPLE',
};

/** What a conformance run needs from an engine: one zone per test. */
export interface ConformanceBackend {
  writeModel(json: unknown): Promise<void>;
  writeTuples(tuples: RelationTuple[]): Promise<void>;
  check(tuple: RelationTuple, contextual: RelationTuple[]): Promise<boolean>;
  listObjects(
    type: string,
    relation: string,
    subject: RelationTuple['subject'],
    contextual: RelationTuple[],
  ): Promise<string[]>;
  listSubjects(
    object: RelationTuple['object'],
    relation: string,
    filters: { type: string; relation?: string }[],
    contextual: RelationTuple[],
  ): Promise<string[]>;
}

export interface Tally {
  passed: number;
  total: number;
  failures: string[];
}

export interface ConformanceResult {
  checks: Tally;
  listObjects: Tally;
  listUsers: Tally;
  skippedChecks: number;
}

function tally(): Tally {
  return { passed: 0, total: 0, failures: [] };
}

function parseTuples(keys: TupleKeyJson[] | undefined | null): RelationTuple[] {
  return (keys ?? []).map(parseTupleKey);
}

function parseFilter(text: string): { type: string; relation?: string } {
  const [type = '', relation] = text.split('#');
  return relation === undefined ? { type } : { type, relation };
}

function sameSet(actual: string[], expected: string[] | null | undefined): boolean {
  const a = [...new Set(actual)].sort();
  const e = [...new Set(expected ?? [])].sort();
  return a.length === e.length && a.every((value, index) => value === e[index]);
}

/** Runs one assertion: compares a value or an expected error code; returns a failure text or null. */
async function assertOne<T>(
  run: () => Promise<T>,
  expected: { errorCode?: number },
  matches: (value: T) => boolean,
  describe: (value: T) => string,
): Promise<string | null> {
  try {
    const value = await run();
    if (expected.errorCode !== undefined)
      return `expected error ${expected.errorCode}, got ${describe(value)}`;
    return matches(value) ? null : `got ${describe(value)}`;
  } catch (error) {
    const code = error instanceof DomainError ? error.code : String(error);
    if (expected.errorCode !== undefined && OPENFGA_ERROR_CODES[expected.errorCode] === code) return null;
    return `error ${code}: ${error instanceof Error ? error.message : ''}`;
  }
}

/**
 * Runs every stage of a test against a fresh zone. Stages share the zone: the
 * model changes, tuples accumulate.
 */
export async function runConformanceTest(
  test: ConformanceTest,
  backend: ConformanceBackend,
  result: ConformanceResult,
): Promise<void> {
  for (const [stageIndex, stage] of test.stages.entries()) {
    const where = `${test.name}[${stageIndex}]`;
    await backend.writeModel(stage.modelJson);
    if (stage.tuples && stage.tuples.length > 0) await backend.writeTuples(parseTuples(stage.tuples));
    for (const assertion of stage.checkAssertions ?? []) {
      if (assertion.context !== undefined || (assertion.contextualTuples ?? []).some((t) => t.condition)) {
        result.skippedChecks++;
        continue;
      }
      result.checks.total++;
      const failure = await assertOne(
        async () => backend.check(parseTupleKey(assertion.tuple), parseTuples(assertion.contextualTuples)),
        assertion,
        (allowed) => allowed === assertion.expectation,
        (allowed) => String(allowed),
      );
      if (failure === null) result.checks.passed++;
      else
        result.checks.failures.push(
          `${where} check ${JSON.stringify(assertion.tuple)} expected ${assertion.expectation ?? assertion.errorCode}: ${failure}`,
        );
    }
    for (const assertion of stage.listObjectsAssertions ?? []) {
      result.listObjects.total++;
      const { request } = assertion;
      const failure = await assertOne(
        async () => {
          const objects = await backend.listObjects(
            request.type,
            request.relation,
            parseSubject(request.user),
            parseTuples(assertion.contextualTuples),
          );
          return objects.map((id) => formatObject({ type: request.type, id }));
        },
        assertion,
        (objects) => sameSet(objects, assertion.expectation),
        (objects) => JSON.stringify(objects),
      );
      if (failure === null) result.listObjects.passed++;
      else
        result.listObjects.failures.push(
          `${where} list-objects ${JSON.stringify(request)} expected ${JSON.stringify(assertion.expectation ?? assertion.errorCode)}: ${failure}`,
        );
    }
    for (const assertion of stage.listUsersAssertions ?? []) {
      result.listUsers.total++;
      const { request } = assertion;
      const failure = await assertOne(
        async () =>
          backend.listSubjects(
            parseObject(request.object),
            request.relation,
            request.filters.map(parseFilter),
            parseTuples(assertion.contextualTuples),
          ),
        assertion,
        (subjects) => sameSet(subjects, assertion.expectation),
        (subjects) => JSON.stringify(subjects),
      );
      if (failure === null) result.listUsers.passed++;
      else
        result.listUsers.failures.push(
          `${where} list-users ${JSON.stringify(request)} expected ${JSON.stringify(assertion.expectation ?? assertion.errorCode)}: ${failure}`,
        );
    }
  }
}

export function emptyResult(): ConformanceResult {
  return { checks: tally(), listObjects: tally(), listUsers: tally(), skippedChecks: 0 };
}

export function summary(label: string, result: ConformanceResult): string {
  const line = `conformance ${label}: checks ${result.checks.passed}/${result.checks.total}, list-objects ${result.listObjects.passed}/${result.listObjects.total}, list-users ${result.listUsers.passed}/${result.listUsers.total}`;
  return result.skippedChecks > 0 ? `${line} (skipped ${result.skippedChecks} checks with conditions)` : line;
}

export { formatSubject };
