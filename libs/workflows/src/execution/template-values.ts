// The values a workflow action's templates are filled in with (TEMPLATE_FIELDS), taken
// from the triggering event, the file it concerns, the workflow and the execution.
import type { TemplateField } from '../definition/template';

/** What templateValues reads. */
export interface TemplateValuesInput {
  event: {
    id: string;
    type: string;
    occurredAt: string;
    actor: { type: string; id: string } | null;
    payload: Record<string, unknown>;
  };
  workflow: { id: string; name: string };
  executionId: string;
  now: Date;
  /** What is known of the file now (e.g. read from the store); preferred over the payload's copies. */
  file?: { size?: number | null; mimeType?: string | null; etag?: string | null; version?: number | null };
}

/** A path split up: `/a/b.tar.gz` → dir `/a`, name `b.tar.gz`, stem `b.tar`, extension `gz`. */
export interface PathParts {
  /** The parent: `/` for a child of the root; absent for `/` itself or a path without a `/`. */
  dir?: string;
  /** The last segment (trailing slashes ignored); empty for `/`. */
  name: string;
  /** The name without its last extension; the whole name when there is none. */
  stem: string;
  /** After the name's last dot, as written (case kept), no dot; absent when there is none. */
  extension?: string;
}

/**
 * Splits a path. A name's extension is what follows its last dot, unless that dot
 * starts the name (`.env` has none) or ends it (`a.` has none); `Makefile` has none.
 */
export function pathParts(path: string): PathParts {
  let trimmed = path;
  while (trimmed.length > 1 && trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
  const slash = trimmed.lastIndexOf('/');
  const name = trimmed === '/' ? '' : trimmed.slice(slash + 1);
  const parts: PathParts = { name, stem: name };
  if (slash === 0 && trimmed.length > 1) parts.dir = '/';
  else if (slash > 0) parts.dir = trimmed.slice(0, slash);
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) {
    parts.stem = name.slice(0, dot);
    parts.extension = name.slice(dot + 1);
  }
  return parts;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return text(value);
}

/**
 * Every TEMPLATE_FIELDS value known for this run, as strings:
 *
 * - `path`, `fromPath`: the payload's `path` and `from` (a move's or rename's source);
 *   `dir`, `name`, `stem`, `extension` split `path` up (see pathParts);
 * - `version`, `size`, `etag`, `mimeType`: the file's values when given (not null),
 *   else the payload's;
 * - `event.id`, `event.type`, `event.occurredAt` (as given), `actor` (`type:id`);
 * - `workflow.id`, `workflow.name`, `execution.id`, `now` (ISO 8601).
 *
 * A value that is unknown — no path (e.g. a scheduled run), no `from` (not a move),
 * no extension, no actor, no size, … — is left out of the record, never set to an
 * empty string: renderTemplate then throws a TemplateError naming the field, which
 * the execution records as the action's error.
 */
export function templateValues(input: TemplateValuesInput): Record<string, string> {
  const { event, workflow, file } = input;
  const payload = event.payload;
  const values: Partial<Record<TemplateField, string | undefined>> = {};

  const path = text(payload['path']);
  if (path !== undefined) {
    const parts = pathParts(path);
    values.path = path;
    values.dir = parts.dir;
    values.name = text(parts.name);
    values.stem = text(parts.stem);
    values.extension = parts.extension;
  }
  values.fromPath = text(payload['from']);
  values.version = numberText(file?.version ?? undefined) ?? numberText(payload['version']);
  values.size = numberText(file?.size ?? undefined) ?? numberText(payload['size']);
  values.etag = text(file?.etag ?? undefined) ?? text(payload['etag']);
  values.mimeType = text(file?.mimeType ?? undefined) ?? text(payload['mimeType']);
  values['event.id'] = text(event.id);
  values['event.type'] = text(event.type);
  values['event.occurredAt'] = text(event.occurredAt);
  values.actor = event.actor ? `${event.actor.type}:${event.actor.id}` : undefined;
  values['workflow.id'] = text(workflow.id);
  values['workflow.name'] = text(workflow.name);
  values['execution.id'] = text(input.executionId);
  values.now = Number.isNaN(input.now.getTime()) ? undefined : input.now.toISOString();

  const result: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (value !== undefined) result[field] = value;
  }
  return result;
}
