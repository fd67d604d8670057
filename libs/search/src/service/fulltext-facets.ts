/** A facet value and how many matching, readable documents have it. */
export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchFacets {
  /** First path segment (`/` for files at the zone's root). */
  directories: FacetCount[];
  /** Lowercase extension without the dot (files without one are not counted). */
  extensions: FacetCount[];
  tags: FacetCount[];
}

/** Values shown per facet. */
export const FACET_SIZE = 20;

export function topLevelDirectory(path: string): string {
  const slash = path.indexOf('/', 1);
  return slash === -1 ? '/' : path.slice(1, slash);
}

export function extensionOf(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? null : name.slice(dot + 1).toLowerCase();
}

function top(counts: Map<string, number>): FacetCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
    .slice(0, FACET_SIZE);
}

/** Facet counts over the documents (the caller passes only matching documents the user may read). */
export function facetsOf(documents: ReadonlyArray<{ path: string; tags: readonly string[] }>): SearchFacets {
  const directories = new Map<string, number>();
  const extensions = new Map<string, number>();
  const tags = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const doc of documents) {
    bump(directories, topLevelDirectory(doc.path));
    const ext = extensionOf(doc.path);
    if (ext !== null) bump(extensions, ext);
    new Set(doc.tags).forEach((tag) => bump(tags, tag));
  }
  return { directories: top(directories), extensions: top(extensions), tags: top(tags) };
}
