import type { DynamicModule, Type } from '@nestjs/common';

/** A class (an entity, a migration, a payload DTO). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ClassRef = Function;

/** A job type a domain runs: its name and the class-validator class its payload must satisfy. */
export interface JobTypeDeclaration<TPayload extends object = object> {
  /** `<domain>.<name>`, e.g. `filesystem.gc`. */
  readonly type: string;
  /** Validated with unknown properties refused; its decorators are the payload's schema. */
  readonly payload: Type<TPayload>;
  readonly summary: string;
}

/**
 * A consumer of outbox events, run by the worker's event relay: the events of
 * the types it names, zone by zone in zone order, each consumer with its own
 * durable position. Delivery is at least once — a handler must be idempotent on
 * the event id. `handler` is a provider of the domain's worker module
 * implementing EventConsumer.
 */
export interface EventConsumerDeclaration {
  /** `<domain>.<name>`, e.g. `search.index`; the position is stored under it, so keep it stable. */
  readonly name: string;
  /** Declared by a mounted domain (refused otherwise), or ANY_EVENT_TYPE for every type (what any domain writes). */
  readonly eventTypes: readonly string[];
  readonly handler: Type<unknown>;
  readonly summary: string;
}

/** In a consumer's eventTypes: every event of the zone, whichever domain wrote it (webhook delivery). */
export const ANY_EVENT_TYPE = '*';

/**
 * Who may see the events of one aggregate type: `filter` is a provider of the
 * domain's API module implementing EventVisibilityFilter. Events of an
 * aggregate type nobody declares are shown to zone admins only.
 */
export interface EventVisibilityDeclaration {
  /** The events' `aggregateType` (`file`); one filter per type across all domains. */
  readonly aggregateType: string;
  readonly filter: Type<unknown>;
}

/** A Nest module to mount: a module class or the result of its forRoot()-style factory. */
export type MountedModule = Type<unknown> | DynamicModule;

/**
 * What a domain library brings to a process, declared in its own code
 * (`<domain>.domain.ts`): the platform libraries and the job system learn the
 * domain's tables, migrations, job types and event types from this, never by
 * importing the domain. The apps list the domains they mount; everything else
 * follows from that list (see composeDomains).
 */
export interface DomainDefinition {
  /** The library's name (`filesystem`); unique in a process. */
  readonly name: string;
  /** TypeORM entity classes of the domain's tables. */
  readonly entities: readonly ClassRef[];
  /** The domain's migrations (class names end in their timestamp; all domains' run in timestamp order). */
  readonly migrations: readonly ClassRef[];
  readonly jobTypes?: readonly JobTypeDeclaration[];
  /** The event types the domain writes to the outbox. */
  readonly eventTypes?: readonly string[];
  /** What the domain does with events (its own or another domain's), run by the worker's relay. */
  readonly eventConsumers?: readonly EventConsumerDeclaration[];
  /** Who may see the domain's events in the replay and the live stream, per aggregate type. */
  readonly eventVisibility?: readonly EventVisibilityDeclaration[];
  /** Domains this one cannot work without (mounted with it, e.g. the permission engine). */
  readonly requires?: readonly DomainDefinition[];
  /** The HTTP side, mounted by the API: controllers and the services behind them. */
  readonly apiModule?: () => MountedModule;
  /** The worker side, mounted by the worker: job handlers and periodic schedules. */
  readonly workerModule?: () => MountedModule;
}

/** Identity: gives a domain's declaration its type at the point of writing. */
export function defineDomain(definition: DomainDefinition): DomainDefinition {
  return definition;
}

/** Identity: a typed job type declaration (the payload type follows from the class). */
export function defineJobType<TPayload extends object>(
  declaration: JobTypeDeclaration<TPayload>,
): JobTypeDeclaration<TPayload> {
  return declaration;
}

/** Identity: a typed event consumer declaration. */
export function defineEventConsumer(declaration: EventConsumerDeclaration): EventConsumerDeclaration {
  return declaration;
}
