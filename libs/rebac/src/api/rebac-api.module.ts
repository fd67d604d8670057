import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { RebacOptions } from '../rebac.options';
import { RebacModule } from '../rebac.module';
import { RebacCheckController } from './rebac-check.controller';
import { RebacListController } from './rebac-list.controller';
import { RebacModelsController } from './rebac-models.controller';
import { RebacTuplesController } from './rebac-tuples.controller';
import { TupleWriteGate } from './tuple-write-gate';

/**
 * The REST layer of the permission engine under /api/v1/rebac, always scoped to
 * the Principal's zone. Needs the app's DatabaseModule and AuthModule (the
 * global guard that sets the Principal and enforces @MinRole).
 */
@Module({})
export class RebacApiModule {
  static forRoot(options: Partial<RebacOptions> = {}): DynamicModule {
    return {
      module: RebacApiModule,
      imports: [RebacModule.forRoot(options)],
      controllers: [RebacModelsController, RebacTuplesController, RebacCheckController, RebacListController],
      providers: [TupleWriteGate],
      exports: [RebacModule],
    };
  }
}
