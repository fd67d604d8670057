import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Page, Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { JobBatchService } from './job-batch.service';
import { ListJobsQueryDto, SubmitJobBatchDto, SubmitJobDto } from './job.dto';
import type { ArtifactView, JobView } from './job-views';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly batches: JobBatchService,
  ) {}

  @Post()
  @MinRole('operator')
  @ApiOperation({ summary: 'Submit a job: 201, or 200 with the existing job for a repeated idempotencyKey' })
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SubmitJobDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    const { job, created } = await this.jobs.submit(principal, body);
    reply.status(created ? 201 : 200);
    return job;
  }

  @Post('batch')
  @MinRole('operator')
  @ApiOperation({
    summary: 'Submit 1-1000 jobs in one transaction (all or none); repeated idempotency keys return the existing jobs',
  })
  async submitBatch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SubmitJobBatchDto,
  ): Promise<{ items: JobView[]; created: number }> {
    return this.batches.submitMany(principal, body.jobs);
  }

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'List the zone’s jobs, newest first, with filters and a total count' })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListJobsQueryDto): Promise<Page<JobView>> {
    return this.jobs.list(principal.zoneId, query);
  }

  @Get(':id')
  @MinRole('viewer')
  @ApiOperation({ summary: 'One job' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.get(principal.zoneId, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @MinRole('operator')
  @ApiOperation({ summary: 'Cancel a queued, waiting or running job (409 from any other state)' })
  @ApiOkResponse()
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.cancel(principal.zoneId, id);
  }

  @Get(':id/artifacts')
  @MinRole('viewer')
  @ApiOperation({ summary: 'What the job produced' })
  async artifacts(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<{ items: ArtifactView[] }> {
    return this.jobs.artifacts(principal.zoneId, id);
  }
}
