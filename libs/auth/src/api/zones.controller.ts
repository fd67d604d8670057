import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTHENTICATED_ERRORS, ApiErrors, PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal } from '../guard/decorators';
import { ZonesService } from '../zones/zones.service';
import { CreateZoneDto, ZonePage, ZoneResponse, toZoneResponse } from './zones.dto';

@ApiTags('zones')
@ApiBearerAuth()
// 400: invalid body, query or id; 403: X-Nexus-Zone-Id names another zone.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
@Controller('api/v1/zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a zone (superuser)' })
  @ApiCreatedResponse({ type: ZoneResponse })
  // 403 also for a caller that is not a superuser; 409: the name is taken.
  @ApiErrors(409)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateZoneDto): Promise<ZoneResponse> {
    return toZoneResponse(await this.zones.create(principal, body.name, body.settings));
  }

  @Get()
  @ApiOperation({ summary: 'List zones: all for a superuser, otherwise the caller’s own' })
  @ApiOkResponse({ type: ZonePage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<ZonePage> {
    const page = await this.zones.list(principal, query.limit, query.cursor);
    return { items: page.items.map(toZoneResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a zone the caller may see' })
  @ApiOkResponse({ type: ZoneResponse })
  // 404 also for a zone the caller may not see.
  @ApiErrors(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ZoneResponse> {
    return toZoneResponse(await this.zones.get(principal, id));
  }
}
