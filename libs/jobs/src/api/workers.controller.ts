import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiErrors } from '@nexus/core';
import { JobsService } from '../service/jobs.service';
import { WorkerList } from './workers.dto';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1/workers')
export class WorkersController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'Worker processes by heartbeat; a stale heartbeat shows as gone' })
  @ApiOkResponse({ type: WorkerList })
  // 403: X-Nexus-Zone-Id names another zone.
  @ApiErrors(...AUTHENTICATED_ERRORS, 403)
  async list(): Promise<WorkerList> {
    return this.jobs.workers();
  }
}
