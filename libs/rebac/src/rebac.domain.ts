import { defineDomain } from '@nexus/core';
import { RebacApiModule } from './api/rebac-api.module';
import { REBAC_ENTITIES } from './entities';
import { REBAC_MIGRATIONS } from './migrations';

/** The permission engine: models, relation tuples, their change log; its HTTP API in the API process. */
export const REBAC_DOMAIN = defineDomain({
  name: 'rebac',
  entities: REBAC_ENTITIES,
  migrations: REBAC_MIGRATIONS,
  apiModule: () => RebacApiModule.forRoot(),
});
