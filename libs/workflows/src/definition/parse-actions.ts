// Validation of a workflow's actions and of the templates they hold.
import { EMPTY_ALLOW_LIST, validateWebhookUrl } from '@nexus/subscriptions';
import {
  expectArray,
  expectBoolean,
  expectList,
  expectObject,
  expectScalar,
  expectString,
  has,
  invalidWorkflow,
  isPlainObject,
  item,
  member,
  required,
  typeName,
} from './definition-checks';
import type { Scalar } from './definition-checks';
import { isTemplateField, leadingField, TemplateError, templateFields, templateLiteral } from './template';
import type { DefinitionContext, WorkflowAction, WorkflowActionType } from './workflow-definition';
import { MAX_ACTIONS, TEMPLATE_FIELDS, WORKFLOW_ACTION_TYPES } from './workflow-definition';

/** The fields of each action type besides `type` and `continueOnError`. */
const ACTION_FIELDS: Record<WorkflowActionType, readonly string[]> = {
  set_metadata: ['values'],
  add_tags: ['tags'],
  remove_tags: ['tags'],
  copy: ['to', 'overwrite'],
  move: ['to', 'overwrite'],
  delete: [],
  write_file: ['path', 'content'],
  webhook: ['url', 'body'],
  enqueue_job: ['jobType', 'payload'],
};

const MAX_METADATA_VALUES = 100;
const MAX_TEMPLATE_LENGTH = 64 * 1024;
const MAX_PAYLOAD_DEPTH = 20;
/** Template fields that render to an absolute path, so `{{dir}}/x` and `{{path}}.bak` are absolute. */
const ABSOLUTE_FIELDS: readonly string[] = ['path', 'dir'];

export function parseActions(value: unknown, field: string, context: DefinitionContext): WorkflowAction[] {
  return expectArray(value, field, { min: 1, max: MAX_ACTIONS }).map((entry, index) =>
    parseAction(entry, item(field, index), context),
  );
}

function parseAction(value: unknown, field: string, context: DefinitionContext): WorkflowAction {
  if (!isPlainObject(value)) throw invalidWorkflow(field, `must be an object, not ${typeName(value)}`);
  const type = required(value, 'type', field);
  if (typeof type !== 'string' || !(WORKFLOW_ACTION_TYPES as readonly string[]).includes(type)) {
    throw invalidWorkflow(
      member(field, 'type'),
      `must be one of ${WORKFLOW_ACTION_TYPES.join(', ')}, not ${typeof type === 'string' ? `"${type}"` : typeName(type)}`,
      { known: [...WORKFLOW_ACTION_TYPES] },
    );
  }
  const actionType = type as WorkflowActionType;
  const action = expectObject(value, field, ['type', ...ACTION_FIELDS[actionType], 'continueOnError']);
  const parsed = parseFields(actionType, action, field, context);
  if (has(action, 'continueOnError')) {
    parsed.continueOnError = expectBoolean(action.continueOnError, member(field, 'continueOnError'));
  }
  return parsed;
}

function parseFields(
  type: WorkflowActionType,
  action: Record<string, unknown>,
  field: string,
  context: DefinitionContext,
): WorkflowAction {
  const at = (key: string): string => member(field, key);
  switch (type) {
    case 'set_metadata':
      return { type, values: parseValues(required(action, 'values', field), at('values')) };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: expectList(required(action, 'tags', field), at('tags'), checkTag) };
    case 'copy':
    case 'move': {
      const to = checkPathTemplate(required(action, 'to', field), at('to'));
      return has(action, 'overwrite')
        ? { type, to, overwrite: expectBoolean(action.overwrite, at('overwrite')) }
        : { type, to };
    }
    case 'delete':
      return { type };
    case 'write_file':
      return {
        type,
        path: checkPathTemplate(required(action, 'path', field), at('path')),
        content: checkTemplate(required(action, 'content', field), at('content')),
      };
    case 'webhook': {
      const url = checkWebhookUrl(required(action, 'url', field), at('url'), context);
      return has(action, 'body')
        ? { type, url, body: checkTemplate(action.body, at('body')) }
        : { type, url };
    }
    case 'enqueue_job': {
      const jobType = expectString(required(action, 'jobType', field), at('jobType'), { min: 1, max: 200 });
      if (!context.jobTypes.has(jobType)) {
        throw invalidWorkflow(at('jobType'), `"${jobType}" is not a job type workflows may enqueue`, {
          known: [...context.jobTypes].sort(),
        });
      }
      const payload = required(action, 'payload', field);
      if (!isPlainObject(payload))
        throw invalidWorkflow(at('payload'), `must be an object, not ${typeName(payload)}`);
      return { type, jobType, payload: checkPayload(payload, at('payload'), 1) as Record<string, unknown> };
    }
  }
}

function checkTag(value: unknown, field: string): string {
  return expectString(value, field, { min: 1, max: 200 });
}

function parseValues(value: unknown, field: string): Record<string, Scalar> {
  if (!isPlainObject(value)) throw invalidWorkflow(field, `must be an object, not ${typeName(value)}`);
  const keys = Object.keys(value);
  if (keys.length === 0) throw invalidWorkflow(field, 'must not be empty');
  if (keys.length > MAX_METADATA_VALUES) {
    throw invalidWorkflow(field, `must have at most ${MAX_METADATA_VALUES} keys (has ${keys.length})`);
  }
  const values: Record<string, Scalar> = {};
  for (const key of keys) {
    if (key.trim() === '' || key.length > 200)
      throw invalidWorkflow(member(field, key), 'key must be 1–200 characters');
    values[key] = expectScalar(value[key], member(field, key));
  }
  return values;
}

/** A template every placeholder of which names a TEMPLATE_FIELDS field; else a 400 naming `field`. */
export function checkTemplate(value: unknown, field: string): string {
  const text = expectString(value, field, { max: MAX_TEMPLATE_LENGTH });
  let fields: string[];
  try {
    fields = templateFields(text);
  } catch (error) {
    if (error instanceof TemplateError) throw invalidWorkflow(field, `invalid template: ${error.message}`);
    throw error;
  }
  const unknown = fields.find((name) => !isTemplateField(name));
  if (unknown !== undefined) {
    throw invalidWorkflow(field, `unknown template field "${unknown}"`, {
      templateField: unknown,
      known: [...TEMPLATE_FIELDS],
    });
  }
  return text;
}

/**
 * A path template of the workflow's zone: absolute (its fixed text starts with `/`, or it
 * starts with `{{path}}`/`{{dir}}`), without a `..` segment or a NUL.
 */
export function checkPathTemplate(value: unknown, field: string): string {
  const text = checkTemplate(value, field);
  if (text.trim() === '') throw invalidWorkflow(field, 'must not be empty');
  if (text.includes('\0')) throw invalidWorkflow(field, 'must not contain a NUL character');
  const literal = templateLiteral(text);
  const lead = leadingField(text);
  const absolute = lead !== undefined ? ABSOLUTE_FIELDS.includes(lead) : literal.startsWith('/');
  if (!absolute) {
    throw invalidWorkflow(
      field,
      `must be an absolute path of the zone (start with / or {{dir}}), not "${text}"`,
    );
  }
  if (literal.split('/').includes('..')) {
    throw invalidWorkflow(field, `must not contain a ".." segment (it would leave the zone): "${text}"`);
  }
  return text;
}

function checkWebhookUrl(value: unknown, field: string, context: DefinitionContext): string {
  const url = expectString(value, field, { min: 1, max: 2048 });
  const policy = context.webhookUrlPolicy ?? { allowHttp: false, allowList: EMPTY_ALLOW_LIST };
  const result = validateWebhookUrl(url, { allowHttp: policy.allowHttp, allowList: policy.allowList });
  if (!result.ok) {
    const message = result.message.includes(`(rule: ${result.rule})`)
      ? result.message
      : `${result.message} (rule: ${result.rule})`;
    throw invalidWorkflow(field, message, { rule: result.rule });
  }
  return result.url.href;
}

/** JSON data whose strings are templates. */
function checkPayload(value: unknown, field: string, depth: number): unknown {
  if (depth > MAX_PAYLOAD_DEPTH)
    throw invalidWorkflow(field, `nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  if (typeof value === 'string') return checkTemplate(value, field);
  if (Array.isArray(value))
    return value.map((entry, index) => checkPayload(entry, item(field, index), depth + 1));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value))
      result[key] = checkPayload(value[key], member(field, key), depth + 1);
    return result;
  }
  return expectScalar(value, field);
}
