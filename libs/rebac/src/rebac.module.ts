import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RebacInTransaction } from './rebac-in-transaction';
import { RebacModelsService } from './rebac-models.service';
import { RebacTuplesService } from './rebac-tuples.service';
import type { RebacOptions } from './rebac.options';
import { REBAC_OPTIONS } from './rebac.options';
import { RebacRuntime } from './rebac.runtime';
import { RebacService } from './rebac.service';

/**
 * The permission engine. Needs the app's DatabaseModule (global), whose
 * TypeORM DataSource it uses; exports its services. `forRoot` is global, so
 * one runtime (one check cache) serves every domain that gates on permissions.
 */
@Module({
  providers: [RebacRuntime, RebacService, RebacTuplesService, RebacModelsService, RebacInTransaction],
  exports: [RebacService, RebacTuplesService, RebacModelsService, RebacInTransaction],
})
export class RebacModule {
  static forRoot(options: Partial<RebacOptions> = {}): DynamicModule {
    return {
      module: RebacModule,
      global: true,
      providers: [{ provide: REBAC_OPTIONS, useValue: options }],
    };
  }
}
