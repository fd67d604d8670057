// The shape of a workflow definition, as stored (jsonb), exported (JSON or YAML) and
// validated (parseWorkflowDefinition). Everything a definition holds is plain data.
import type { AllowList } from '@nexus/subscriptions';

/** What starts a run: file events (optionally debounced per path), a cron schedule, or only by hand. */
export type WorkflowTrigger =
  | {
      kind: 'event';
      /** Event types of mounted domains (at least one). */
      eventTypes: string[];
      /** Path globs (picomatch, dot files included); empty: every path. */
      globs: string[];
      /** Only events caused by this subject (`type:id`); absent: anyone. */
      actor?: string;
      /** Coalesce bursts on one path: run once, this long after the last event of the burst. */
      debounceMs?: number;
    }
  | {
      kind: 'schedule';
      /** Five-field cron (minute hour day-of-month month day-of-week), UTC. */
      cron: string;
    }
  | { kind: 'manual' };

/** A leaf test on the triggering file (or event). */
export type WorkflowPredicate =
  | { path: { glob: string } | { regex: string } }
  | { extension: string[] }
  | { mimeType: string[] }
  | { size: { min?: number; max?: number } }
  | { tags: { all?: string[]; any?: string[] } }
  | { metadata: { key: string; equals?: string | number | boolean | null; exists?: boolean } }
  | { actor: string[] }
  | { version: { min?: number; max?: number } };

/** A tree of all / any / not over predicates. */
export type WorkflowCondition =
  | { all: WorkflowCondition[] }
  | { any: WorkflowCondition[] }
  | { not: WorkflowCondition }
  | WorkflowPredicate;

interface ActionBase {
  /** Run the next actions even when this one fails (default false: the run stops). */
  continueOnError?: boolean;
}

/**
 * What a run does, in order. Strings marked "template" may use `{{field}}` over the
 * event's fields (TEMPLATE_FIELDS); paths are absolute paths of the workflow's zone.
 */
export type WorkflowAction = ActionBase &
  (
    | { type: 'set_metadata'; values: Record<string, string | number | boolean | null> }
    | { type: 'add_tags'; tags: string[] }
    | { type: 'remove_tags'; tags: string[] }
    /** `to`: template. */
    | { type: 'copy'; to: string; overwrite?: boolean }
    /** `to`: template. */
    | { type: 'move'; to: string; overwrite?: boolean }
    | { type: 'delete' }
    /** `path` and `content`: templates. */
    | { type: 'write_file'; path: string; content: string }
    /** Delivered and signed like a subscription's messages; `body`: template (JSON after filling in). */
    | { type: 'webhook'; url: string; body?: string }
    /** `payload` values: templates. */
    | { type: 'enqueue_job'; jobType: string; payload: Record<string, unknown> }
  );

export type WorkflowActionType = WorkflowAction['type'];

export const WORKFLOW_ACTION_TYPES: readonly WorkflowActionType[] = [
  'set_metadata',
  'add_tags',
  'remove_tags',
  'copy',
  'move',
  'delete',
  'write_file',
  'webhook',
  'enqueue_job',
];

/** The fields a template may name: `{{path}}`, `{{event.type}}`, … */
export const TEMPLATE_FIELDS = [
  'path',
  'dir',
  'name',
  'stem',
  'extension',
  'fromPath',
  'version',
  'size',
  'etag',
  'mimeType',
  'event.id',
  'event.type',
  'event.occurredAt',
  'actor',
  'workflow.id',
  'workflow.name',
  'execution.id',
  'now',
] as const;

/** Everything a workflow is besides its identity and owner. */
export interface WorkflowDefinition {
  name: string;
  description: string | null;
  enabled: boolean;
  trigger: WorkflowTrigger;
  /** Absent: always. */
  conditions: WorkflowCondition | null;
  actions: WorkflowAction[];
  /** Fire on events this workflow's own actions caused (default false). */
  allowSelfTrigger: boolean;
  /** Runs per minute before the workflow is paused (default 600). */
  maxRunsPerMinute: number;
}

/** What validation needs to know of the running system. */
export interface DefinitionContext {
  /** Event types some mounted domain writes. */
  eventTypes: ReadonlySet<string>;
  /** Job types `enqueue_job` may name. */
  jobTypes: ReadonlySet<string>;
  /** How `webhook` URLs are checked (validateWebhookUrl); absent: https only, empty allow list. */
  webhookUrlPolicy?: { allowHttp: boolean; allowList: AllowList };
}

export const DEFAULT_MAX_RUNS_PER_MINUTE = 600;
export const MAX_ACTIONS = 50;
export const MAX_CONDITION_DEPTH = 10;
