import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal, MinRole } from '../guard/decorators';
import {
  CredentialPage,
  CredentialResponse,
  CredentialSecretResponse,
  StoreCredentialDto,
} from './dto/credential.dto';
import { VaultService } from './vault.service';

@ApiTags('credential vault')
@ApiBearerAuth()
@ApiServiceUnavailableResponse({ description: 'NEXUS_ENCRYPTION_KEY is not configured' })
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
    return CredentialResponse.of(await this.vault.store(principal, body));
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
    return { items: page.items.map((item) => CredentialResponse.of(item)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @MinRole('viewer')
  @ApiOperation({ summary: 'Read a credential with its tokens (its owner or a zone admin)' })
  @ApiOkResponse({ type: CredentialSecretResponse })
  async reveal(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CredentialSecretResponse> {
    const revealed = await this.vault.reveal(principal, id);
    return {
      ...CredentialResponse.of(revealed.credential),
      accessToken: revealed.accessToken,
      refreshToken: revealed.refreshToken,
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('editor')
  @ApiNoContentResponse()
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.vault.remove(principal, id);
  }
}
