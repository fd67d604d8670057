import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Principal } from '@nexus/core';
import { FsLocks } from '../service/fs-locks.service';
import type { FsLockView } from '../service/fs-locks.service';
import { LockDto, PathBodyDto } from './fs-body.dto';
import { LockDoc } from './fs-views.dto';

/** Advisory path locks: others' writes to a locked path (or below a locked directory) answer 423. */
@ApiTags('filesystem')
@ApiBearerAuth()
@Controller('api/v1/fs')
export class FsLocksController {
  constructor(private readonly locks: FsLocks) {}

  @Post('lock')
  @ApiOkResponse({ type: LockDoc })
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Lock a path for ttlMs (423 when someone else holds it)' })
  async lock(@CurrentPrincipal() principal: Principal, @Body() body: LockDto): Promise<FsLockView> {
    return this.locks.lock(principal, body.path, body.ttlMs);
  }

  @Post('unlock')
  @HttpCode(204)
  @MinRole('editor')
  @ApiOperation({ summary: 'Release your lock on a path (404 when not locked, 423 when held by another)' })
  async unlock(@CurrentPrincipal() principal: Principal, @Body() body: PathBodyDto): Promise<void> {
    await this.locks.unlock(principal, body.path);
  }
}
