import type {
  ClassRef,
  DomainDefinition,
  EventConsumerDeclaration,
  EventVisibilityDeclaration,
  JobTypeDeclaration,
  MountedModule,
} from './domain-definition';
import { ANY_EVENT_TYPE } from './domain-definition';

/** The domains a process mounts, with what they declare gathered and checked for clashes. */
export interface ComposedDomains {
  /** In dependency order (a domain after those it requires), each once. */
  readonly domains: readonly DomainDefinition[];
  readonly entities: readonly ClassRef[];
  readonly migrations: readonly ClassRef[];
  readonly jobTypes: ReadonlyMap<string, JobTypeDeclaration & { domain: string }>;
  /** Event type → the domain that writes it. */
  readonly eventTypes: ReadonlyMap<string, string>;
  /** Consumer name → its declaration and the domain that registered it. */
  readonly eventConsumers: ReadonlyMap<string, EventConsumerDeclaration & { domain: string }>;
  /** Aggregate type → the filter deciding who sees its events, and the domain that declared it. */
  readonly eventVisibility: ReadonlyMap<string, EventVisibilityDeclaration & { domain: string }>;
  readonly apiModules: readonly MountedModule[];
  readonly workerModules: readonly MountedModule[];
}

function inDependencyOrder(roots: readonly DomainDefinition[]): DomainDefinition[] {
  const ordered: DomainDefinition[] = [];
  const visiting = new Set<DomainDefinition>();
  const visit = (domain: DomainDefinition, path: readonly string[]): void => {
    if (ordered.includes(domain)) return;
    if (visiting.has(domain))
      throw new Error(`Domains require each other in a cycle: ${[...path, domain.name].join(' -> ')}`);
    visiting.add(domain);
    for (const required of domain.requires ?? []) visit(required, [...path, domain.name]);
    visiting.delete(domain);
    ordered.push(domain);
  };
  for (const root of roots) visit(root, []);
  return ordered;
}

function claim<T>(
  owners: Map<string, T>,
  key: string,
  owner: T,
  what: string,
  ownerName: (value: T) => string,
): void {
  const existing = owners.get(key);
  if (existing !== undefined)
    throw new Error(`${what} ${key} is declared by both ${ownerName(existing)} and ${ownerName(owner)}`);
  owners.set(key, owner);
}

/**
 * Gathers the given domains and the ones they require. Throws when two domains
 * share a name, an entity, a migration, a job type, an event type, an event
 * consumer or the visibility filter of an aggregate type: each belongs to
 * exactly one domain; and when a consumer wants an event type no mounted domain
 * writes (it would wait forever).
 */
export function composeDomains(roots: readonly DomainDefinition[]): ComposedDomains {
  const domains = inDependencyOrder(roots);
  const names = new Map<string, DomainDefinition>();
  const classOwners = new Map<string, string>();
  const jobTypes = new Map<string, JobTypeDeclaration & { domain: string }>();
  const eventTypes = new Map<string, string>();
  const self = (name: string) => name;
  for (const domain of domains) {
    claim(names, domain.name, domain, 'Domain name', (d) => d.name);
    for (const entity of domain.entities)
      claim(classOwners, `entity ${entity.name}`, domain.name, 'The', self);
    for (const migration of domain.migrations)
      claim(classOwners, `migration ${migration.name}`, domain.name, 'The', self);
    for (const job of domain.jobTypes ?? [])
      claim(jobTypes, job.type, { ...job, domain: domain.name }, 'Job type', (j) => j.domain);
    for (const type of domain.eventTypes ?? []) claim(eventTypes, type, domain.name, 'Event type', self);
  }
  const eventConsumers = new Map<string, EventConsumerDeclaration & { domain: string }>();
  for (const domain of domains) {
    for (const consumer of domain.eventConsumers ?? []) {
      claim(
        eventConsumers,
        consumer.name,
        { ...consumer, domain: domain.name },
        'Event consumer',
        (c) => c.domain,
      );
      if (consumer.eventTypes.length === 0)
        throw new Error(`Event consumer ${consumer.name} wants no event type`);
      for (const type of consumer.eventTypes) {
        if (type !== ANY_EVENT_TYPE && !eventTypes.has(type))
          throw new Error(`Event consumer ${consumer.name} wants ${type}, which no mounted domain writes`);
      }
    }
  }
  const eventVisibility = new Map<string, EventVisibilityDeclaration & { domain: string }>();
  for (const domain of domains) {
    for (const declaration of domain.eventVisibility ?? [])
      claim(
        eventVisibility,
        declaration.aggregateType,
        { ...declaration, domain: domain.name },
        'Event visibility of aggregate type',
        (v) => v.domain,
      );
  }
  const modules = (side: 'apiModule' | 'workerModule') =>
    domains.flatMap((domain) => (domain[side] ? [domain[side]()] : []));
  return {
    domains,
    entities: domains.flatMap((domain) => domain.entities),
    migrations: domains.flatMap((domain) => domain.migrations),
    jobTypes,
    eventTypes,
    eventConsumers,
    eventVisibility,
    apiModules: modules('apiModule'),
    workerModules: modules('workerModule'),
  };
}
