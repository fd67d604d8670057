import { AuthorizationModelVersion } from './authorization-model-version.entity';
import { Relationship } from './relationship.entity';
import { RelationshipChange } from './relationship-change.entity';

export { AuthorizationModelVersion, Relationship, RelationshipChange };
export type { ChangeOperation } from './relationship-change.entity';

/** The permission engine's tables, for the process's database schema. */
export const REBAC_ENTITIES = [AuthorizationModelVersion, Relationship, RelationshipChange];
