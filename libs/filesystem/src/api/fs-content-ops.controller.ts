import { Body, Controller, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Principal } from '@nexus/core';
import { FsContentOps } from '../service/fs-content-ops.service';
import { BatchWriteDto, EditFileDto, RestoreDto } from './fs-body.dto';
import { DiffQueryDto, VersionsQueryDto } from './fs-query.dto';
import { FileWriteDoc } from './fs-views.dto';
import type { ResultOf } from './result-of';
import { RevisionHeaderInterceptor } from './revision-header';

/** Content operations beyond plain read/write: atomic batch, search/replace edit, version history. */
@ApiTags('filesystem')
@ApiBearerAuth()
@Controller('api/v1/fs')
@UseInterceptors(RevisionHeaderInterceptor)
export class FsContentOpsController {
  constructor(private readonly ops: FsContentOps) {}

  @Post('batch')
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Write several files atomically (all or none), with optional per-path If-Match' })
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BatchWriteDto,
  ): Promise<ResultOf<FsContentOps, 'batch'>> {
    const writes = body.writes.map(({ path, content, encoding }) => ({
      path,
      content,
      encoding: encoding ?? 'utf8',
    }));
    return this.ops.batch(principal, writes, { ifMatch: body.ifMatch });
  }

  @Post('edit')
  @ApiOkResponse({ type: FileWriteDoc })
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Apply search/replace edits to a text file atomically' })
  async edit(
    @CurrentPrincipal() principal: Principal,
    @Body() body: EditFileDto,
  ): Promise<ResultOf<FsContentOps, 'edit'>> {
    const edits = body.edits.map(({ find, replace, all }) => ({ find, replace, all }));
    return this.ops.edit(principal, body.path, edits, { ifMatch: body.ifMatch });
  }

  @Get('versions')
  @MinRole('viewer')
  @ApiOperation({ summary: 'A file’s versions, newest first, paged' })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Query() query: VersionsQueryDto,
  ): Promise<ResultOf<FsContentOps, 'versions'>> {
    return this.ops.versions(principal, query.path, { limit: query.limit, cursor: query.cursor });
  }

  @Post('restore')
  @ApiOkResponse({ type: FileWriteDoc })
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Make a past version’s content the new current version' })
  async restore(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RestoreDto,
  ): Promise<ResultOf<FsContentOps, 'restore'>> {
    return this.ops.restore(principal, body.path, body.version);
  }

  @Get('diff')
  @MinRole('viewer')
  @ApiOperation({ summary: 'A unified diff between two versions of a file' })
  async diff(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DiffQueryDto,
  ): Promise<ResultOf<FsContentOps, 'diff'>> {
    return this.ops.diff(principal, query.path, query.from, query.to);
  }
}
