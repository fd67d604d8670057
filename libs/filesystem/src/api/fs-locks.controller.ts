import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { FsLocks } from '../service/fs-locks.service';
import { LockDto, PathBodyDto } from './fs-body.dto';
import { LockResponse } from './fs-lock.dto';
import { FS_ROUTE_ERRORS } from './fs-route-errors';

/** Advisory path locks: others' writes to a locked path (or below a locked directory) answer 423. */
@ApiTags('filesystem')
@ApiBearerAuth()
@ApiErrors(...FS_ROUTE_ERRORS, 423)
@Controller('api/v1/fs')
export class FsLocksController {
  constructor(private readonly locks: FsLocks) {}

  @Post('lock')
  @ApiOkResponse({ type: LockResponse })
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Lock a path for ttlMs (423 when someone else holds it)' })
  async lock(@CurrentPrincipal() principal: Principal, @Body() body: LockDto): Promise<LockResponse> {
    return this.locks.lock(principal, body.path, body.ttlMs);
  }

  @Post('unlock')
  @HttpCode(204)
  @MinRole('editor')
  @ApiOperation({ summary: 'Release your lock on a path (404 when not locked, 423 when held by another)' })
  @ApiNoContentResponse({ description: 'Released' })
  @ApiErrors(404)
  async unlock(@CurrentPrincipal() principal: Principal, @Body() body: PathBodyDto): Promise<void> {
    await this.locks.unlock(principal, body.path);
  }
}
