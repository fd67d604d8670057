import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Page, Principal } from '@nexus/core';
import type { FileStat } from '../fs.types';
import { FsReader } from '../service/fs-reader.service';
import { ListQueryDto, PathQueryDto } from './fs-query.dto';
import { ExistsDoc, FileListDoc, FileStatDoc } from './fs-views.dto';
import { readOptionsOf } from './query-values';

/** Metadata reads: stat, exists, list. */
@ApiTags('filesystem')
@ApiBearerAuth()
@Controller('api/v1/fs')
export class FsMetadataController {
  constructor(private readonly reader: FsReader) {}

  @Get('stat')
  @ApiOkResponse({ type: FileStatDoc })
  @MinRole('viewer')
  @ApiOperation({ summary: 'Metadata of a file or directory' })
  async stat(@CurrentPrincipal() principal: Principal, @Query() query: PathQueryDto): Promise<FileStat> {
    return this.reader.stat(principal, query.path, readOptionsOf(query));
  }

  @Get('exists')
  @ApiOkResponse({ type: ExistsDoc })
  @MinRole('viewer')
  @ApiOperation({ summary: 'Whether a path exists (403 when it does but may not be read)' })
  async exists(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PathQueryDto,
  ): Promise<{ path: string; exists: boolean }> {
    return {
      path: query.path,
      exists: await this.reader.exists(principal, query.path, readOptionsOf(query)),
    };
  }

  @Get('list')
  @ApiOkResponse({ type: FileListDoc })
  @MinRole('viewer')
  @ApiOperation({
    summary: 'A directory’s entries (or, recursive, its subtree) that the caller may read, paged',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListQueryDto,
  ): Promise<Page<FileStat>> {
    const { recursive, limit, cursor } = query;
    return this.reader.list(principal, query.path, { ...readOptionsOf(query), recursive, limit, cursor });
  }
}
