import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { FullTextSearch } from '../service/fulltext-search.service';
import { GlobSearch } from '../service/glob-search.service';
import { GrepSearch } from '../service/grep-search.service';
import { IndexFreshness } from '../service/index-freshness';
import { SearchStatusService } from '../service/search-status.service';
import {
  FreshnessQueryDto,
  GlobPageResponse,
  GlobQueryDto,
  GrepRequestDto,
  GrepResponse,
  ReindexRequestDto,
  ReindexResponse,
  SearchStatusResponse,
} from './search.dto';
import { FullTextRequestDto, FullTextResponse } from './fulltext.dto';

const minRevisionOf = (query: FreshnessQueryDto) =>
  query.minRevision === undefined ? undefined : BigInt(query.minRevision);

/** Search over the zone's files; every answer holds only files the caller may read. */
@ApiTags('search')
@ApiBearerAuth()
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403, 503)
@Controller('api/v1/search')
export class SearchController {
  constructor(
    private readonly globs: GlobSearch,
    private readonly greps: GrepSearch,
    private readonly fullText: FullTextSearch,
    private readonly freshness: IndexFreshness,
    private readonly statuses: SearchStatusService,
  ) {}

  @Get('glob')
  @MinRole('viewer')
  @ApiOperation({ summary: 'Entries whose path matches a picomatch glob, in path order, paged' })
  @ApiOkResponse({ type: GlobPageResponse })
  async glob(
    @CurrentPrincipal() principal: Principal,
    @Query() query: GlobQueryDto,
  ): Promise<GlobPageResponse> {
    return this.globs.glob(principal, query);
  }

  @Post('grep')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary:
      'Lines matching an RE2 pattern in the zone’s text files (index-narrowed, verified), as rg would print them',
  })
  @ApiOkResponse({ type: GrepResponse })
  async grep(
    @CurrentPrincipal() principal: Principal,
    @Body() body: GrepRequestDto,
    @Query() query: FreshnessQueryDto,
  ): Promise<GrepResponse> {
    await this.freshness.await(principal.zoneId, minRevisionOf(query));
    return this.greps.grep(principal, body);
  }

  @Post('query')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary:
      'Full-text search of the zone’s files: web-search syntax, BM25 ranking, snippets and facets, paged',
  })
  @ApiOkResponse({ type: FullTextResponse })
  async query(
    @CurrentPrincipal() principal: Principal,
    @Body() body: FullTextRequestDto,
    @Query() query: FreshnessQueryDto,
  ): Promise<FullTextResponse> {
    await this.freshness.await(principal.zoneId, minRevisionOf(query));
    return this.fullText.query(principal, body);
  }

  @Get('status')
  @MinRole('operator')
  @ApiOperation({ summary: 'What the zone’s index holds and how far it is behind the zone’s changes' })
  @ApiOkResponse({ type: SearchStatusResponse })
  async status(@CurrentPrincipal() principal: Principal): Promise<SearchStatusResponse> {
    return this.statuses.status(principal.zoneId);
  }

  @Post('reindex')
  @MinRole('operator')
  @ApiOperation({
    summary: 'Rebuild the zone’s index as a search.reindex job (202; 200 when one is already pending)',
  })
  @ApiResponse({ status: 202, type: ReindexResponse, description: 'Submitted' })
  @ApiResponse({
    status: 200,
    type: ReindexResponse,
    description: 'A reindex of the zone is already queued or running',
  })
  async reindex(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ReindexRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReindexResponse> {
    const result = await this.statuses.reindex(principal, body);
    void reply.status(result.created ? 202 : 200);
    return result;
  }
}
