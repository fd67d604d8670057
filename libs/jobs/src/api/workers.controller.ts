import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@nexus/auth';
import type { WorkerView } from './job-views';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/v1/workers')
export class WorkersController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'Worker processes by heartbeat; a stale heartbeat shows as gone' })
  async list(): Promise<{ items: WorkerView[] }> {
    return this.jobs.workers();
  }
}
