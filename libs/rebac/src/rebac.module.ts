import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { BaseConfig } from '@nexus/core';
import { DataSource } from 'typeorm';
import { CheckCache } from './cache/check-cache';
import { ListCache } from './cache/list-cache';
import type { AdmissionConfig } from './check/admission-limits';
import { ADMISSION_LIMITS, admissionLimits, poolSizeOf } from './check/admission-limits';
import { CheckPipeline } from './check/check-pipeline';
import { RebacInTransaction } from './rebac-in-transaction';
import { RebacModelsService } from './rebac-models.service';
import { RebacTuplesService } from './rebac-tuples.service';
import type { RebacOptions } from './rebac.options';
import { DEFAULT_REBAC_OPTIONS, REBAC_OPTIONS } from './rebac.options';
import { RebacService } from './rebac.service';
import { ModelStore } from './store/model-store';
import type { SqlExecutor } from './store/sql';
import { REBAC_SQL_EXECUTOR, executorOf } from './store/sql';
import { TupleStore } from './store/tuple-store';
import { ZoneResolver } from './zone/zone-resolver';
import { ZoneStates } from './zone/zone-states';

const SERVICES = [RebacService, RebacTuplesService, RebacModelsService, RebacInTransaction];

/** The stores, caches and the check pipeline the services share. */
const INTERNALS: Provider[] = [
  { provide: REBAC_SQL_EXECUTOR, useFactory: executorOf, inject: [DataSource] },
  TupleStore,
  ModelStore,
  {
    provide: ZoneStates,
    useFactory: (sql: SqlExecutor, tuples: TupleStore, models: ModelStore, options: RebacOptions) =>
      new ZoneStates(sql, tuples, models, options.cachedZones),
    inject: [REBAC_SQL_EXECUTOR, TupleStore, ModelStore, REBAC_OPTIONS],
  },
  {
    provide: CheckCache,
    useFactory: (options: RebacOptions) => new CheckCache(options.cacheEntriesPerZone, options.cachedZones),
    inject: [REBAC_OPTIONS],
  },
  { provide: ListCache, useFactory: () => new ListCache() },
  {
    // The app's ConfigModule is optional: test kits mount rebac without one.
    provide: ADMISSION_LIMITS,
    useFactory: (options: RebacOptions, dataSource: DataSource, config?: BaseConfig & AdmissionConfig) =>
      admissionLimits(options, config, poolSizeOf(dataSource.options)),
    inject: [REBAC_OPTIONS, DataSource, { token: BaseConfig, optional: true }],
  },
  ZoneResolver,
  CheckPipeline,
];

/**
 * The permission engine. Needs the app's DatabaseModule (global), whose
 * TypeORM DataSource it uses; exports its services. `forRoot` is global and
 * meant to be imported once, so one set of caches and one check pipeline serve
 * every domain that gates on permissions.
 */
@Module({})
export class RebacModule {
  static forRoot(options: Partial<RebacOptions> = {}): DynamicModule {
    return {
      module: RebacModule,
      global: true,
      providers: [
        { provide: REBAC_OPTIONS, useValue: { ...DEFAULT_REBAC_OPTIONS, ...options } },
        ...INTERNALS,
        ...SERVICES,
      ],
      exports: SERVICES,
    };
  }
}
