import type { ExpandNode } from './engine/expand';
import type { TraceNode } from './engine/check-evaluator';
import type { ObjectRef, RelationTuple, SubjectRef } from './tuple/tuple.types';

export const CONSISTENCY_MODES = ['minimize_latency', 'at_least_as_fresh', 'fully_consistent'] as const;
export type ConsistencyMode = (typeof CONSISTENCY_MODES)[number];

/**
 * minimize_latency (default): may answer from the cache, at most the configured
 * staleness behind; at_least_as_fresh: never older than `token` (a revision
 * token from a write); fully_consistent: reads the latest state, no cache.
 */
export interface Consistency {
  mode: ConsistencyMode;
  token?: string;
}

export interface CheckRequest {
  object: ObjectRef;
  relation: string;
  subject: SubjectRef;
  contextualTuples?: RelationTuple[];
  consistency?: Consistency;
}

export interface CheckResult {
  allowed: boolean;
  /** The revision token of the state the answer was computed at. */
  revision: string;
}

export interface BatchCheckRequest {
  checks: Omit<CheckRequest, 'consistency'>[];
  consistency?: Consistency;
}

export type BatchCheckItem =
  { allowed: boolean } | { allowed: false; error: { code: string; message: string } };

export interface BatchCheckResult {
  results: BatchCheckItem[];
  revision: string;
}

export interface ExpandRequest {
  object: ObjectRef;
  relation: string;
  consistency?: Consistency;
}

export interface ExpandResult {
  tree: ExpandNode;
  revision: string;
}

export interface ExplainResult {
  allowed: boolean;
  reason: 'granted' | 'no_path' | 'cycle';
  trace: TraceNode;
  revision: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface ListObjectsRequest extends PageRequest {
  type: string;
  relation: string;
  subject: SubjectRef;
  contextualTuples?: RelationTuple[];
  consistency?: Consistency;
}

export interface ListSubjectsRequest extends PageRequest {
  object: ObjectRef;
  relation: string;
  subjectFilters: { type: string; relation?: string }[];
  contextualTuples?: RelationTuple[];
  consistency?: Consistency;
}

export interface WriteTuplesRequest {
  writes?: RelationTuple[];
  deletes?: RelationTuple[];
  preconditions?: {
    /** Every one must exist before the write. */
    exist?: RelationTuple[];
    /** None may exist before the write. */
    absent?: RelationTuple[];
    /** The zone must still be at this revision (optimistic concurrency). */
    revision?: string;
  };
}

export interface WriteTuplesResult {
  revision: string;
  written: number;
  deleted: number;
}

export interface StoredTuple extends RelationTuple {
  createdAt: Date;
}

export interface TupleChange {
  operation: 'write' | 'delete';
  tuple: RelationTuple;
  revision: string;
  at: Date;
}

export interface ChangesResult {
  changes: TupleChange[];
  /** Pass back as `since` to continue after the last change returned. */
  revision: string;
}

export interface ModelInfo {
  version: number;
  model: unknown;
  dsl?: string;
  createdAt: Date;
}
