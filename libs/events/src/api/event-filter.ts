import { invalidPathFilter, unknownEventTypes } from './events.errors';

/**
 * What a replay or stream asks for besides position: event types, and a path
 * prefix matched against the payload's `path` and `from` (a move's source).
 * The replay applies it in SQL (event-rows.ts), the stream in memory
 * (`matchesFilter`); both must agree.
 */
export interface EventFilter {
  /** Null: every type. */
  types: ReadonlySet<string> | null;
  /** Normalised (no trailing `/` except for `/` itself); null: every event. */
  path: string | null;
}

/** Parses `types` (comma list) and `path`; 400 naming the field for unknown types or a relative path. */
export function parseEventFilter(
  rawTypes: string | undefined,
  rawPath: string | undefined,
  knownTypes: ReadonlyMap<string, unknown>,
): EventFilter {
  let types: Set<string> | null = null;
  if (rawTypes !== undefined) {
    types = new Set(
      rawTypes
        .split(',')
        .map((type) => type.trim())
        .filter((type) => type !== ''),
    );
    const unknown = [...types].filter((type) => !knownTypes.has(type));
    if (unknown.length > 0 || types.size === 0) throw unknownEventTypes(unknown);
  }
  let path: string | null = null;
  if (rawPath !== undefined) {
    if (!rawPath.startsWith('/')) throw invalidPathFilter(rawPath);
    path = rawPath.replace(/\/+$/, '') || '/';
  }
  return { types, path };
}

/** `prefix` itself or anything below it, by whole segments: `/a` matches `/a/b`, not `/ab`. */
export function underPrefix(prefix: string, path: unknown): boolean {
  if (typeof path !== 'string') return false;
  if (prefix === '/') return path.startsWith('/');
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The in-memory twin of the replay's SQL filter. */
export function matchesFilter(
  filter: EventFilter,
  event: { type: string; payload: Record<string, unknown> },
): boolean {
  if (filter.types && !filter.types.has(event.type)) return false;
  if (filter.path === null) return true;
  return underPrefix(filter.path, event.payload['path']) || underPrefix(filter.path, event.payload['from']);
}
