import { Body, Controller, Get, HttpCode, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { FsContentOps } from '../service/fs-content-ops.service';
import { BatchWriteDto, EditFileDto, RestoreDto } from './fs-body.dto';
import { FileDiffResponse, FileVersionPageResponse } from './fs-history.dto';
import { DiffQueryDto, VersionsQueryDto } from './fs-query.dto';
import { FS_ROUTE_ERRORS } from './fs-route-errors';
import {
  BatchWriteResponse,
  FileEditResponse,
  FileWriteResponse,
  toFileEditResponse,
  toFileWriteResponse,
} from './fs-write.dto';
import { RevisionHeaderInterceptor } from './revision-header';

/** Content operations beyond plain read/write: atomic batch, search/replace edit, version history. */
@ApiTags('filesystem')
@ApiBearerAuth()
@ApiErrors(...FS_ROUTE_ERRORS, 409)
@Controller('api/v1/fs')
@UseInterceptors(RevisionHeaderInterceptor)
export class FsContentOpsController {
  constructor(private readonly ops: FsContentOps) {}

  @Post('batch')
  @ApiOkResponse({ type: BatchWriteResponse })
  @ApiErrors(412, 413, 423)
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Write several files atomically (all or none), with optional per-path If-Match' })
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BatchWriteDto,
  ): Promise<BatchWriteResponse> {
    const writes = body.writes.map(({ path, content, encoding }) => ({
      path,
      content,
      encoding: encoding ?? 'utf8',
    }));
    return this.ops.batch(principal, writes, { ifMatch: body.ifMatch });
  }

  @Post('edit')
  @ApiOkResponse({ type: FileEditResponse })
  @ApiErrors(404, 412, 413, 423)
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Apply search/replace edits to a text file atomically' })
  async edit(@CurrentPrincipal() principal: Principal, @Body() body: EditFileDto): Promise<FileEditResponse> {
    const edits = body.edits.map(({ find, replace, all }) => ({ find, replace, all }));
    return toFileEditResponse(await this.ops.edit(principal, body.path, edits, { ifMatch: body.ifMatch }));
  }

  @Get('versions')
  @ApiOkResponse({ type: FileVersionPageResponse })
  @ApiErrors(404)
  @MinRole('viewer')
  @ApiOperation({ summary: 'A file’s versions, newest first, paged' })
  async versions(
    @CurrentPrincipal() principal: Principal,
    @Query() query: VersionsQueryDto,
  ): Promise<FileVersionPageResponse> {
    return this.ops.versions(principal, query.path, { limit: query.limit, cursor: query.cursor });
  }

  @Post('restore')
  @ApiOkResponse({ type: FileWriteResponse })
  @ApiErrors(404, 423)
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Make a past version’s content the new current version' })
  async restore(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RestoreDto,
  ): Promise<FileWriteResponse> {
    return toFileWriteResponse(await this.ops.restore(principal, body.path, body.version));
  }

  @Get('diff')
  @ApiOkResponse({ type: FileDiffResponse })
  @ApiErrors(404, 413)
  @MinRole('viewer')
  @ApiOperation({ summary: 'A unified diff between two versions of a text file' })
  async diff(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DiffQueryDto,
  ): Promise<FileDiffResponse> {
    return this.ops.diff(principal, query.path, query.from, query.to);
  }
}
