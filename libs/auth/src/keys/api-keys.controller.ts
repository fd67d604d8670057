import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal, MinRole } from '../guard/decorators';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPage, ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('api/v1/auth/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Create an API key (admin). The key is in this response only.' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponse> {
    const created = await this.keys.create(principal, body);
    return { ...ApiKeyResponse.of(created.record), key: created.key };
  }

  @Get()
  @MinRole('admin')
  @ApiOperation({ summary: 'List the zone’s API keys (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<ApiKeyPage> {
    const page = await this.keys.list(principal.zoneId, query.limit, query.cursor);
    return { items: page.items.map((key) => ApiKeyResponse.of(key)), nextCursor: page.nextCursor };
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('admin')
  @ApiOperation({ summary: 'Revoke an API key and every token issued for it' })
  @ApiNoContentResponse()
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.keys.revoke(principal, id);
  }
}
