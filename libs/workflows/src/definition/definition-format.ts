// Export and import of workflow definitions as JSON or YAML. Export writes a stable
// key order; import only parses (parseWorkflowDefinition validates) and refuses what
// would make YAML unsafe or surprising: aliases and anchors, explicit non-core tags,
// several documents, duplicate keys, and documents over 256 KiB.
import { isAlias, isNode, parseDocument, stringify, visit } from 'yaml';
import { invalidWorkflow, isPlainObject } from './definition-checks';
import { jsonSyntaxError } from './json-syntax';
import type { WorkflowDefinition } from './workflow-definition';

export type DefinitionFormat = 'json' | 'yaml';

export const MAX_DEFINITION_BYTES = 256 * 1024;

const TOP_ORDER = [
  'name',
  'description',
  'enabled',
  'trigger',
  'conditions',
  'actions',
  'allowSelfTrigger',
  'maxRunsPerMinute',
];
const TRIGGER_ORDER = ['kind', 'eventTypes', 'globs', 'actor', 'debounceMs', 'cron'];
const ACTION_ORDER = [
  'type',
  'values',
  'tags',
  'to',
  'path',
  'content',
  'url',
  'body',
  'jobType',
  'payload',
  'overwrite',
  'continueOnError',
];
const PREDICATE_ORDER = ['glob', 'regex', 'key', 'equals', 'exists', 'min', 'max', 'all', 'any'];
/** Tags YAML's core schema resolves anyway (`!!str 1`); any other explicit tag is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((tag) => `tag:yaml.org,2002:${tag}`),
);

/** The same keys, those named in `order` first (in that order), the rest as they were. */
function ordered(value: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const keys = [
    ...order.filter((key) => Object.prototype.hasOwnProperty.call(value, key)),
    ...Object.keys(value).filter((key) => !order.includes(key)),
  ];
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
}

function orderedCondition(node: unknown): unknown {
  if (!isPlainObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, child]) => {
      if (key === 'all' || key === 'any')
        return [key, Array.isArray(child) ? child.map(orderedCondition) : child];
      if (key === 'not') return [key, orderedCondition(child)];
      return [key, isPlainObject(child) ? ordered(child, PREDICATE_ORDER) : child];
    }),
  );
}

/** The definition as JSON (2-space indent, trailing newline) or YAML, keys in a stable order. */
export function exportDefinition(def: WorkflowDefinition, format: DefinitionFormat): string {
  const top = ordered({ ...def }, TOP_ORDER);
  top.trigger = ordered({ ...def.trigger }, TRIGGER_ORDER);
  top.conditions = def.conditions === null ? null : orderedCondition(def.conditions);
  top.actions = def.actions.map((action) => ordered({ ...action }, ACTION_ORDER));
  if (format === 'json') return `${JSON.stringify(top, null, 2)}\n`;
  // No anchors for repeated objects (import refuses them), no line folding.
  return stringify(top, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** The parsed document (not yet validated); a syntax error is a 400 naming `body` with the line and column. */
export function importDefinition(text: string, format: DefinitionFormat): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DEFINITION_BYTES) {
    throw invalidWorkflow(
      'body',
      `the document is ${bytes} bytes; at most ${MAX_DEFINITION_BYTES} are allowed`,
      {
        limit: MAX_DEFINITION_BYTES,
      },
    );
  }
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return format === 'json' ? importJson(source) : importYaml(source);
}

function syntaxError(format: string, text: string, offset: number, reason: string): Error {
  const { line, column } = lineAndColumn(text, offset);
  return invalidWorkflow('body', `invalid ${format} at line ${line}, column ${column}: ${reason}`, {
    line,
    column,
  });
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

function importJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8's messages do not always carry a position: find the first error ourselves.
    const found = jsonSyntaxError(text) ?? { offset: 0, reason: (error as Error).message };
    throw syntaxError('JSON', text, found.offset, found.reason);
  }
}

function importYaml(text: string): unknown {
  // Aliases and anchors are refused below (and toJS's maxAliasCount: 0 refuses aliases again).
  const doc = parseDocument(text, {
    uniqueKeys: true,
    prettyErrors: false,
    merge: false,
    schema: 'core',
    customTags: [],
    strict: true,
  });
  const [problem] = [...doc.errors, ...doc.warnings];
  if (problem)
    throw syntaxError('YAML', text, problem.pos[0], problem.message.split('\n')[0] ?? problem.code);
  let refusal: { offset: number; reason: string } | undefined;
  visit(doc, {
    Node(_key, node) {
      const offset = node.range?.[0] ?? 0;
      if (isAlias(node)) refusal = { offset, reason: `aliases are not allowed (*${node.source})` };
      else if (node.anchor !== undefined)
        refusal = { offset, reason: `anchors are not allowed (&${node.anchor})` };
      else if (node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        refusal = { offset, reason: `tags are not allowed (${node.tag})` };
      }
      return refusal ? visit.BREAK : undefined;
    },
  });
  if (refusal) throw syntaxError('YAML', text, refusal.offset, refusal.reason);
  return isNode(doc.contents) || doc.contents === null ? doc.toJS({ maxAliasCount: 0 }) : null;
}
