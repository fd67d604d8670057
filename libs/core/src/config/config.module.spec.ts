import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiConfig } from './api.config';
import { BaseConfig } from './base.config';
import { ConfigModule } from './config.module';
import { loadConfig } from './load-config';
import { WorkerConfig } from './worker.config';

@Injectable()
class NeedsBaseConfig {
  constructor(readonly config: BaseConfig) {}
}

describe('ConfigModule.forRoot', () => {
  it('provides the configuration both as its own class and as BaseConfig', async () => {
    const config = loadConfig(ApiConfig, { NEXUS_PORT: '9999' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config)],
      providers: [NeedsBaseConfig],
    }).compile();

    expect(moduleRef.get(ApiConfig)).toBe(config);
    expect(moduleRef.get(BaseConfig)).toBe(config);
    expect(moduleRef.get(NeedsBaseConfig).config).toBe(config);
    await moduleRef.close();
  });

  it('does not provide a process class it was not given', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig(WorkerConfig, {}))],
    }).compile();

    expect(moduleRef.get(WorkerConfig)).toBeInstanceOf(WorkerConfig);
    expect(() => moduleRef.get(ApiConfig)).toThrow();
    await moduleRef.close();
  });

  it('registers a single provider for a plain BaseConfig', () => {
    const config = loadConfig(BaseConfig, {});

    const dynamicModule = ConfigModule.forRoot(config);

    expect(dynamicModule.module).toBe(ConfigModule);
    expect(dynamicModule.providers).toEqual([{ provide: BaseConfig, useValue: config }]);
    expect(dynamicModule.exports).toEqual([BaseConfig]);
  });
});
