import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { RebacTuplesService } from '../rebac-tuples.service';
import { REBAC_ROUTE_ERRORS } from './rebac-route-errors';
import { TupleWriteGate } from './tuple-write-gate';
import {
  ChangesQueryDto,
  ChangesResponse,
  ReadTuplesQueryDto,
  TuplePageResponse,
  WriteTuplesRequestDto,
  WriteTuplesResponse,
} from './tuples.dto';

/** The relation tuples of the caller's zone and their change feed. */
@ApiTags('rebac')
@ApiBearerAuth()
@ApiErrors(...REBAC_ROUTE_ERRORS)
@Controller('api/v1/rebac')
export class RebacTuplesController {
  constructor(
    private readonly tuples: RebacTuplesService,
    private readonly gate: TupleWriteGate,
  ) {}

  @Post('tuples')
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({
    summary:
      'Write and delete tuples atomically and idempotently, with optional preconditions (412); ' +
      'needs operator, or owner on every written or deleted object',
  })
  @ApiOkResponse({ type: WriteTuplesResponse })
  @ApiErrors(404, 412)
  async write(
    @CurrentPrincipal() principal: Principal,
    @Body() body: WriteTuplesRequestDto,
  ): Promise<WriteTuplesResponse> {
    await this.gate.authorize(principal, [...(body.writes ?? []), ...(body.deletes ?? [])]);
    return this.tuples.write(principal.zoneId, body);
  }

  @Get('tuples')
  @MinRole('viewer')
  @ApiOperation({ summary: 'Tuples matching the filters, in a stable order, paged' })
  @ApiOkResponse({ type: TuplePageResponse })
  async read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReadTuplesQueryDto,
  ): Promise<TuplePageResponse> {
    const { limit, cursor, ...filter } = query;
    return this.tuples.read(principal.zoneId, filter, { limit, cursor });
  }

  @Get('changes')
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Tuple changes after a revision token (from the beginning without one), oldest first',
  })
  @ApiOkResponse({ type: ChangesResponse })
  async changes(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ChangesQueryDto,
  ): Promise<ChangesResponse> {
    return this.tuples.changes(principal.zoneId, {
      since: query.since,
      limit: query.limit,
      objectType: query.objectType,
    });
  }
}
