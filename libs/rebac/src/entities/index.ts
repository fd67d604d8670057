import { RebacChangeEntity } from './rebac-change.entity';
import { RebacModelEntity } from './rebac-model.entity';
import { RelationTupleEntity } from './relation-tuple.entity';

export { RebacChangeEntity, RebacModelEntity, RelationTupleEntity };
export type { ChangeOperation } from './rebac-change.entity';

/** The permission engine's tables, for ALL_ENTITIES. */
export const REBAC_ENTITIES = [RebacModelEntity, RelationTupleEntity, RebacChangeEntity];
