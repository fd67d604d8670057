/** The directives of a Content-Security-Policy header by name, for tests to compare regardless of formatting. */
export function cspDirectivesOf(header: unknown): Record<string, string[]> {
  if (typeof header !== 'string')
    throw new Error(`no Content-Security-Policy header (got ${String(header)})`);
  return Object.fromEntries(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name = '', ...sources]): [string, string[]] => [name, sources]),
  );
}
