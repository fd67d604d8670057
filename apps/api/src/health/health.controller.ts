import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@nexus/auth';
import { MetricsService, ReadinessRegistry } from '@nexus/core';
import type { ReadinessReport } from '@nexus/core';
import type { FastifyReply } from 'fastify';

/** Liveness, readiness and metrics: unauthenticated, for orchestrators and scrapers. */
@ApiTags('health')
@Public({ rateLimit: false })
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  @ApiOkResponse({ description: 'The process is up', schema: { example: { status: 'ok' } } })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer; `checks` names it' })
  async readyz(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'ready' | 'unavailable' } & Pick<ReadinessReport, 'checks'>> {
    const report = await this.readiness.report();
    void reply.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: report.ready ? 'ready' : 'unavailable', checks: report.checks };
  }

  @Get('metrics')
  @ApiProduces('text/plain')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
