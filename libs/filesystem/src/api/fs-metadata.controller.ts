import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { FsReader } from '../service/fs-reader.service';
import { ExistsResponse, FileListResponse, FileStatResponse } from './fs-entry.dto';
import { ListQueryDto, PathQueryDto } from './fs-query.dto';
import { FS_ROUTE_ERRORS } from './fs-route-errors';
import { readOptionsOf } from './query-values';

/** Metadata reads: stat, exists, list. */
@ApiTags('filesystem')
@ApiBearerAuth()
@ApiErrors(...FS_ROUTE_ERRORS)
@Controller('api/v1/fs')
export class FsMetadataController {
  constructor(private readonly reader: FsReader) {}

  @Get('stat')
  @ApiOkResponse({ type: FileStatResponse })
  @ApiErrors(404)
  @MinRole('viewer')
  @ApiOperation({ summary: 'Metadata of a file or directory' })
  async stat(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PathQueryDto,
  ): Promise<FileStatResponse> {
    return this.reader.stat(principal, query.path, readOptionsOf(query));
  }

  @Get('exists')
  @ApiOkResponse({ type: ExistsResponse })
  @MinRole('viewer')
  @ApiOperation({ summary: 'Whether a path exists (403 when it does but may not be read)' })
  async exists(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PathQueryDto,
  ): Promise<ExistsResponse> {
    return {
      path: query.path,
      exists: await this.reader.exists(principal, query.path, readOptionsOf(query)),
    };
  }

  @Get('list')
  @ApiOkResponse({ type: FileListResponse })
  @ApiErrors(404, 409)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'A directory’s entries (or, recursive, its subtree) that the caller may read, paged',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListQueryDto,
  ): Promise<FileListResponse> {
    const { recursive, limit, cursor } = query;
    return this.reader.list(principal, query.path, { ...readOptionsOf(query), recursive, limit, cursor });
  }
}
