import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { RebacModule } from './rebac.module';
import { RebacModelsService } from './rebac-models.service';
import { CheckCache } from './cache/check-cache';
import { CheckPipeline } from './check/check-pipeline';
import type { RebacOptions } from './rebac.options';
import { REBAC_OPTIONS } from './rebac.options';
import { RebacService } from './rebac.service';
import { RebacTuplesService } from './rebac-tuples.service';

/** Stands in for the app's global DatabaseModule (which exports TypeORM's DataSource). */
@Global()
@Module({ providers: [{ provide: DataSource, useValue: { query: jest.fn() } }], exports: [DataSource] })
class FakeDatabaseModule {}

describe('RebacModule', () => {
  it('provides the services over one check pipeline and one check cache, with default options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeDatabaseModule, RebacModule.forRoot()],
    }).compile();
    expect(moduleRef.get(RebacService)).toBeInstanceOf(RebacService);
    expect(moduleRef.get(RebacTuplesService)).toBeInstanceOf(RebacTuplesService);
    expect(moduleRef.get(RebacModelsService)).toBeInstanceOf(RebacModelsService);
    expect(moduleRef.get(CheckPipeline)).toBeInstanceOf(CheckPipeline);
    expect(moduleRef.get(CheckCache)).toBeInstanceOf(CheckCache);
    expect(moduleRef.get<RebacOptions>(REBAC_OPTIONS).stalenessMs).toBe(500);
  });

  it('takes options through forRoot', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeDatabaseModule, RebacModule.forRoot({ stalenessMs: 100 })],
    }).compile();
    expect(moduleRef.get<RebacOptions>(REBAC_OPTIONS)).toMatchObject({
      stalenessMs: 100,
      cacheEntriesPerZone: 100_000,
    });
  });

  it('refuses an invalid zone before touching the database', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeDatabaseModule, RebacModule.forRoot()],
    }).compile();
    const dataSource = moduleRef.get<{ query: jest.Mock }>(DataSource);
    await expect(
      moduleRef.get(RebacService).check('zone-1', {
        object: { type: 'file', id: '/' },
        relation: 'viewer',
        subject: { type: 'user', id: 'a' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ZONE_ID' });
    expect(dataSource.query).not.toHaveBeenCalled();
  });
});
