import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { ComposedDomains } from './compose-domains';

/** The injection token of the process's ComposedDomains (what the mounted domains declare). */
export const DOMAINS = Symbol('nexus:domains');

/** Makes the composed domains injectable everywhere (the job system reads their job types from it). */
@Module({})
export class DomainsModule {
  static forRoot(domains: ComposedDomains): DynamicModule {
    return {
      module: DomainsModule,
      global: true,
      providers: [{ provide: DOMAINS, useValue: domains }],
      exports: [DOMAINS],
    };
  }
}
