import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { JobBatchService } from '../service/job-batch.service';
import { JobsService } from '../service/jobs.service';
import {
  JobArtifactList,
  JobBatchResponse,
  JobPage,
  JobResponse,
  ListJobsQueryDto,
  SubmitJobBatchDto,
  SubmitJobDto,
} from './jobs.dto';

@ApiTags('jobs')
@ApiBearerAuth()
// 400: invalid body, query or id; 403: a role below the route's, or X-Nexus-Zone-Id names another zone.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
@Controller('api/v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly batches: JobBatchService,
  ) {}

  @Post()
  @MinRole('operator')
  @ApiOperation({ summary: 'Submit a job: 201, or 200 with the existing job for a repeated idempotencyKey' })
  @ApiCreatedResponse({ type: JobResponse, description: 'Submitted' })
  @ApiOkResponse({ type: JobResponse, description: 'The job that already holds this idempotencyKey' })
  // 400 also for an unknown type or a payload its type refuses; 409: the key is held by a job of another type.
  @ApiErrors(409)
  async submit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SubmitJobDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobResponse> {
    const { job, created } = await this.jobs.submit(principal, body);
    reply.status(created ? 201 : 200);
    return job;
  }

  @Post('batch')
  @MinRole('operator')
  @ApiOperation({
    summary:
      'Submit 1-1000 jobs in one transaction (all or none); repeated idempotency keys return the existing jobs',
  })
  @ApiCreatedResponse({ type: JobBatchResponse })
  // 409: a key is held by a job of another type; 413: the batch is larger than the body limit.
  @ApiErrors(409, 413)
  async submitBatch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SubmitJobBatchDto,
  ): Promise<JobBatchResponse> {
    return this.batches.submitMany(principal, body.jobs);
  }

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'List the zone’s jobs, newest first, with filters and a total count' })
  @ApiOkResponse({ type: JobPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListJobsQueryDto): Promise<JobPage> {
    return this.jobs.list(principal.zoneId, query);
  }

  @Get(':id')
  @MinRole('viewer')
  @ApiOperation({ summary: 'One job' })
  @ApiOkResponse({ type: JobResponse })
  @ApiErrors(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<JobResponse> {
    return this.jobs.get(principal.zoneId, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @MinRole('operator')
  @ApiOperation({ summary: 'Cancel a queued, waiting or running job (409 from any other state)' })
  @ApiOkResponse({ type: JobResponse, description: 'The cancelled job' })
  @ApiErrors(404, 409)
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<JobResponse> {
    return this.jobs.cancel(principal.zoneId, id);
  }

  @Get(':id/artifacts')
  @MinRole('viewer')
  @ApiOperation({ summary: 'What the job produced' })
  @ApiOkResponse({ type: JobArtifactList })
  @ApiErrors(404)
  async artifacts(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<JobArtifactList> {
    return this.jobs.artifacts(principal.zoneId, id);
  }
}
