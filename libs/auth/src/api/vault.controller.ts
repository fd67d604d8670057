import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTHENTICATED_ERRORS, ApiErrors, PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal, MinRole } from '../guard/decorators';
import { VaultService } from '../vault/vault.service';
import {
  CredentialPage,
  CredentialResponse,
  CredentialSecretResponse,
  StoreCredentialDto,
  toCredentialResponse,
  toCredentialSecretResponse,
} from './vault.dto';

@ApiTags('credential vault')
@ApiBearerAuth()
// 400: invalid body, query or id; 403: a role below the route's, or X-Nexus-Zone-Id names another zone;
// 503: NEXUS_ENCRYPTION_KEY is not configured.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403, 503)
@Controller('api/v1/auth/credentials')
export class VaultController {
  constructor(private readonly vault: VaultService) {}

  @Post()
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Store (or replace) the caller’s OAuth credential for a provider account' })
  @ApiOkResponse({ type: CredentialResponse })
  async store(
    @CurrentPrincipal() principal: Principal,
    @Body() body: StoreCredentialDto,
  ): Promise<CredentialResponse> {
    return toCredentialResponse(await this.vault.store(principal, body));
  }

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'List credentials without secrets: a zone admin sees all, others their own' })
  @ApiOkResponse({ type: CredentialPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<CredentialPage> {
    const page = await this.vault.list(principal, query.limit, query.cursor);
    return { items: page.items.map(toCredentialResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @MinRole('viewer')
  @ApiOperation({ summary: 'Read a credential with its tokens (its owner or a zone admin)' })
  @ApiOkResponse({ type: CredentialSecretResponse })
  // 404 also for a credential the caller may not read.
  @ApiErrors(404)
  async reveal(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CredentialSecretResponse> {
    return toCredentialSecretResponse(await this.vault.reveal(principal, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('editor')
  @ApiOperation({ summary: 'Delete a credential (its owner or a zone admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.vault.remove(principal, id);
  }
}
