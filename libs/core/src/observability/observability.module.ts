import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';
import { ReadinessRegistry } from './readiness';

/** Process-wide metrics registry and readiness checks, available to every module. */
@Global()
@Module({
  providers: [MetricsService, ReadinessRegistry],
  exports: [MetricsService, ReadinessRegistry],
})
export class ObservabilityModule {}
