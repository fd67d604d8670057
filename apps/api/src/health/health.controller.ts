import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@nexus/auth';
import { ApiErrors, MetricsService, ReadinessRegistry } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { HealthResponse, ReadinessResponse, toReadinessResponse } from './health.dto';

/**
 * Liveness, readiness and metrics: unauthenticated and not rate limited, for
 * orchestrators and scrapers; the only error they answer is an unexpected one.
 */
@ApiTags('health')
@Public({ rateLimit: false })
@ApiErrors(500)
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  @ApiOkResponse({ description: 'The process is up', type: HealthResponse })
  healthz(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOkResponse({ description: 'Every dependency answers', type: ReadinessResponse })
  @ApiServiceUnavailableResponse({
    description: 'A dependency does not answer; `checks` names it',
    type: ReadinessResponse,
  })
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessResponse> {
    const report = await this.readiness.report();
    void reply.status(report.ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return toReadinessResponse(report);
  }

  @Get('metrics')
  @ApiProduces('text/plain')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ description: 'Prometheus text exposition format', type: String })
  async metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
