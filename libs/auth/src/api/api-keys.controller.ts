import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AUTHENTICATED_ERRORS, ApiErrors, PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal, MinRole } from '../guard/decorators';
import { ApiKeysService } from '../keys/api-keys.service';
import {
  ApiKeyPage,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  toApiKeyResponse,
  toCreatedApiKeyResponse,
} from './api-keys.dto';

@ApiTags('auth')
@ApiBearerAuth()
// 400: invalid body, query or id; 403: not an admin, or X-Nexus-Zone-Id names another zone.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
@Controller('api/v1/auth/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Create an API key (admin). The key is in this response only.' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  // 403 also for a role above the creator's; 404/409: the user subject is unknown or disabled.
  @ApiErrors(404, 409)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponse> {
    return toCreatedApiKeyResponse(await this.keys.create(principal, body));
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
    return { items: page.items.map(toApiKeyResponse), nextCursor: page.nextCursor };
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('admin')
  @ApiOperation({ summary: 'Revoke an API key and every token issued for it' })
  @ApiNoContentResponse({ description: 'Revoked' })
  // 403 also when a non-superuser revokes a superuser key.
  @ApiErrors(404)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.keys.revoke(principal, id);
  }
}
