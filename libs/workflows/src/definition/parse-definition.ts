// The strict validator of workflow definitions: unknown properties, wrong types and
// out-of-range values are 400s (ValidationError, code INVALID_WORKFLOW) whose
// message starts with the field path (`actions[2].to: …`) and whose details.field is
// that path. What it returns is normalised (defaults filled in, extensions without
// dots, webhook URLs as validateWebhookUrl writes them), so parsing it again gives
// the same definition.
import { CronError, parseCron } from './cron';
import {
  expectBoolean,
  expectGlob,
  expectInteger,
  expectList,
  expectObject,
  expectString,
  expectSubject,
  has,
  invalidWorkflow,
  isPlainObject,
  member,
  required,
  typeName,
} from './definition-checks';
import { parseActions } from './parse-actions';
import { parseCondition } from './parse-conditions';
import type { DefinitionContext, WorkflowDefinition, WorkflowTrigger } from './workflow-definition';
import { DEFAULT_MAX_RUNS_PER_MINUTE } from './workflow-definition';

const DEFINITION_KEYS = [
  'name',
  'description',
  'enabled',
  'trigger',
  'conditions',
  'actions',
  'allowSelfTrigger',
  'maxRunsPerMinute',
] as const;

const TRIGGER_KINDS = ['event', 'schedule', 'manual'] as const;
const MAX_DEBOUNCE_MS = 3_600_000;
const MAX_RUNS_PER_MINUTE = 100_000;

export interface ParseDefinitionOptions {
  /** A PATCH: `input` holds only the fields to change; they replace these (whole top-level fields). */
  partial?: WorkflowDefinition;
}

/** Validates a whole definition (or, with `options.partial`, a patch of one) and returns it normalised. */
export function parseWorkflowDefinition(
  input: unknown,
  context: DefinitionContext,
  options: ParseDefinitionOptions = {},
): WorkflowDefinition {
  if (!isPlainObject(input)) throw invalidWorkflow('body', `must be an object, not ${typeName(input)}`);
  const merged: Record<string, unknown> = options.partial ? { ...options.partial, ...input } : input;
  const body = expectObject(merged, '', DEFINITION_KEYS);
  const present = (key: string): boolean => has(body, key) && body[key] !== undefined;

  const name = expectString(required(body, 'name', ''), 'name', { min: 1, max: 200 });
  if (name.trim() === '') throw invalidWorkflow('name', 'must not be blank');
  const description =
    !present('description') || body.description === null
      ? null
      : expectString(body.description, 'description', { max: 2000 });
  const trigger = parseTrigger(required(body, 'trigger', ''), 'trigger', context);
  const conditions =
    !present('conditions') || body.conditions === null ? null : parseCondition(body.conditions, 'conditions');
  const actions = parseActions(required(body, 'actions', ''), 'actions', context);

  return {
    name,
    description,
    enabled: present('enabled') ? expectBoolean(body.enabled, 'enabled') : true,
    trigger,
    conditions,
    actions,
    allowSelfTrigger: present('allowSelfTrigger')
      ? expectBoolean(body.allowSelfTrigger, 'allowSelfTrigger')
      : false,
    maxRunsPerMinute: present('maxRunsPerMinute')
      ? expectInteger(body.maxRunsPerMinute, 'maxRunsPerMinute', 1, MAX_RUNS_PER_MINUTE)
      : DEFAULT_MAX_RUNS_PER_MINUTE,
  };
}

function parseTrigger(value: unknown, field: string, context: DefinitionContext): WorkflowTrigger {
  if (!isPlainObject(value)) throw invalidWorkflow(field, `must be an object, not ${typeName(value)}`);
  const kind = required(value, 'kind', field);
  if (typeof kind !== 'string' || !(TRIGGER_KINDS as readonly string[]).includes(kind)) {
    throw invalidWorkflow(
      member(field, 'kind'),
      `must be one of ${TRIGGER_KINDS.join(', ')}, not ${typeof kind === 'string' ? `"${kind}"` : typeName(kind)}`,
      { known: [...TRIGGER_KINDS] },
    );
  }
  const at = (key: string): string => member(field, key);
  if (kind === 'manual') {
    expectObject(value, field, ['kind']);
    return { kind };
  }
  if (kind === 'schedule') {
    const trigger = expectObject(value, field, ['kind', 'cron']);
    const cron = expectString(required(trigger, 'cron', field), at('cron'), { min: 1, max: 200 });
    try {
      parseCron(cron);
    } catch (error) {
      if (error instanceof CronError)
        throw invalidWorkflow(at('cron'), `not a valid cron expression (${error.message})`);
      throw error;
    }
    return { kind, cron };
  }
  const trigger = expectObject(value, field, ['kind', 'eventTypes', 'globs', 'actor', 'debounceMs']);
  const eventTypes = expectList(
    required(trigger, 'eventTypes', field),
    at('eventTypes'),
    (entry, entryField) => {
      const type = expectString(entry, entryField, { min: 1, max: 200 });
      if (!context.eventTypes.has(type)) {
        throw invalidWorkflow(entryField, `"${type}" is not an event type of a mounted domain`, {
          eventType: type,
          known: [...context.eventTypes].sort(),
        });
      }
      return type;
    },
  );
  const globs = has(trigger, 'globs')
    ? expectList(trigger.globs, at('globs'), checkTriggerGlob, { min: 0, max: 100 })
    : [];
  const result: Extract<WorkflowTrigger, { kind: 'event' }> = { kind: 'event', eventTypes, globs };
  if (has(trigger, 'actor')) result.actor = expectSubject(trigger.actor, at('actor'));
  if (has(trigger, 'debounceMs'))
    result.debounceMs = expectInteger(trigger.debounceMs, at('debounceMs'), 0, MAX_DEBOUNCE_MS);
  return result;
}

function checkTriggerGlob(value: unknown, field: string): string {
  const glob = expectGlob(value, field);
  if (!glob.startsWith('/'))
    throw invalidWorkflow(field, `must start with / (globs match absolute paths), not "${glob}"`);
  return glob;
}
