import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal } from '../guard/decorators';
import { CreateZoneDto, ZonePage, ZoneResponse } from './dto/zone.dto';
import { ZonesService } from './zones.service';

@ApiTags('zones')
@ApiBearerAuth()
@Controller('api/v1/zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a zone (superuser)' })
  @ApiCreatedResponse({ type: ZoneResponse })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateZoneDto): Promise<ZoneResponse> {
    return ZoneResponse.of(await this.zones.create(principal, body.name, body.settings));
  }

  @Get()
  @ApiOperation({ summary: 'List zones: all for a superuser, otherwise the caller’s own' })
  @ApiOkResponse({ type: ZonePage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<ZonePage> {
    const page = await this.zones.list(principal, query.limit, query.cursor);
    return { items: page.items.map((zone) => ZoneResponse.of(zone)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a zone the caller may see' })
  @ApiOkResponse({ type: ZoneResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<ZoneResponse> {
    return ZoneResponse.of(await this.zones.get(principal, id));
  }
}
