import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { BaseConfig } from './base.config';

/**
 * Makes the validated configuration injectable, both by its own class
 * (ApiConfig, WorkerConfig) and as the BaseConfig every library reads.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends BaseConfig>(config: T): DynamicModule {
    const ownClass = config.constructor as new () => T;
    const providers = [{ provide: BaseConfig, useValue: config }];
    if (ownClass !== BaseConfig) providers.push({ provide: ownClass, useValue: config });
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
