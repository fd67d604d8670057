export interface FoundHandler<H> {
  type: string;
  name: string;
  handler: H;
}

export class HandlerRegistrationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Job handlers are misconfigured: ${problems.join('; ')}`);
    this.name = 'HandlerRegistrationError';
  }
}

/** Exactly one handler per job type, or an error naming every type with none or several. */
export function resolveHandlers<H>(types: readonly string[], found: ReadonlyArray<FoundHandler<H>>): Map<string, H> {
  const problems: string[] = [];
  const handlers = new Map<string, H>();
  for (const type of types) {
    const matches = found.filter((entry) => entry.type === type);
    if (matches.length === 0) problems.push(`job type ${type} has no handler`);
    else if (matches.length > 1) problems.push(`job type ${type} has ${matches.length} handlers (${matches.map((m) => m.name).join(', ')})`);
    else handlers.set(type, matches[0]!.handler);
  }
  for (const entry of found) {
    if (!types.includes(entry.type)) problems.push(`${entry.name} handles unknown job type ${String(entry.type)}`);
  }
  if (problems.length > 0) throw new HandlerRegistrationError(problems);
  return handlers;
}
