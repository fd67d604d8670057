import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RebacModelsService } from './rebac-models.service';
import { RebacTuplesService } from './rebac-tuples.service';
import type { RebacOptions } from './rebac.options';
import { REBAC_OPTIONS } from './rebac.options';
import { RebacRuntime } from './rebac.runtime';
import { RebacService } from './rebac.service';

/**
 * The permission engine. Needs the app's DatabaseModule (global), whose
 * TypeORM DataSource it uses; exports the three services.
 */
@Module({
  providers: [RebacRuntime, RebacService, RebacTuplesService, RebacModelsService],
  exports: [RebacService, RebacTuplesService, RebacModelsService],
})
export class RebacModule {
  static forRoot(options: Partial<RebacOptions> = {}): DynamicModule {
    return {
      module: RebacModule,
      providers: [{ provide: REBAC_OPTIONS, useValue: options }],
    };
  }
}
