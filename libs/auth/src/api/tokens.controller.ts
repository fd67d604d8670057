import { Body, Controller, Get, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTHENTICATED_ERRORS, ApiConfig, ApiErrors, RequestContext, ValidationError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyRequest } from 'fastify';
import { AuthAudit } from '../audit/auth-audit';
import { AuthErrorCode, AuthenticationFailedError } from '../auth.errors';
import { Authenticator } from '../guard/authenticator';
import { CurrentPrincipal, Public } from '../guard/decorators';
import { displayPrefix, looksLikeApiKey } from '../keys/api-key-format';
import { KeyDirectory } from '../keys/key-directory';
import { TokenService } from '../tokens/token.service';
import {
  AUTH_SCHEMES,
  AuthSchemesResponse,
  PrincipalResponse,
  TokenRequestDto,
  TokenResponse,
  toPrincipalResponse,
} from './tokens.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class TokensController {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly tokens: TokenService,
    private readonly audit: AuthAudit,
    private readonly keys: KeyDirectory,
    private readonly config: ApiConfig,
  ) {}

  @Get('schemes')
  @Public()
  @ApiOperation({
    summary: 'How to authenticate: accepted credentials and where to get a token (no credential needed)',
  })
  @ApiOkResponse({ type: AuthSchemesResponse })
  // Public, but rate limited per client IP.
  @ApiErrors(429)
  schemes(): AuthSchemesResponse {
    return {
      schemes: [...AUTH_SCHEMES],
      apiKeyFormat: 'nx_<zone>_<secret>',
      tokenEndpoint: '/api/v1/auth/token',
      tokenAlgorithm: this.config.NEXUS_JWT_ALGORITHM,
      tokenLifetimeSeconds: this.config.NEXUS_JWT_EXPIRY_MINUTES * 60,
    };
  }

  @Post('token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange an API key for a short-lived access token (JWT)' })
  @ApiOkResponse({ type: TokenResponse })
  // Public and rate limited per client IP; 401: the API key is not valid (or revoked, expired, disabled).
  @ApiErrors(400, 401, 429)
  async token(@Body() body: TokenRequestDto, @Req() request: FastifyRequest): Promise<TokenResponse> {
    const route = 'POST /api/v1/auth/token';
    try {
      if (!looksLikeApiKey(body.apiKey)) throw new AuthenticationFailedError('invalid');
      const { principal } = await this.authenticator.authenticate(`Bearer ${body.apiKey}`, undefined);
      const issued = await this.issueFor(principal);
      await this.audit.success('token_issued', principal, { keyPrefix: displayPrefix(body.apiKey), route });
      return issued;
    } catch (error) {
      if (error instanceof AuthenticationFailedError) {
        await this.audit.failure(error.reason, {
          route,
          ip: request.ip,
          keyPrefix: displayPrefix(body.apiKey),
        });
      }
      throw error;
    }
  }

  @Post('token/refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Exchange a valid access token for a fresh one' })
  @ApiOkResponse({ type: TokenResponse })
  // 400: the credential is an API key; 403: X-Nexus-Zone-Id names another zone.
  @ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
  async refresh(
    @CurrentPrincipal() principal: Principal,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<TokenResponse> {
    const credential = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1] ?? '';
    if (looksLikeApiKey(credential)) {
      throw new ValidationError(
        'Refresh takes an access token; exchange API keys at POST /api/v1/auth/token',
        {},
        AuthErrorCode.RefreshNeedsToken,
      );
    }
    return this.issueFor(principal);
  }

  @Get('whoami')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The Principal the credential authenticates as' })
  @ApiOkResponse({ type: PrincipalResponse })
  // 403: X-Nexus-Zone-Id names another zone.
  @ApiErrors(...AUTHENTICATED_ERRORS, 403)
  whoami(): PrincipalResponse {
    // Read from the request context rather than through a parameter decorator: a
    // handler without parameters skips Nest's per-argument pipe pass on this hot route.
    const principal = RequestContext.principal();
    if (!principal) throw new AuthenticationFailedError('missing');
    return toPrincipalResponse(principal);
  }

  /** Tokens always name their key's own zone, even when a superuser is acting in another. */
  private async issueFor(principal: Principal): Promise<TokenResponse> {
    const record = principal.keyId ? await this.keys.findById(principal.keyId) : null;
    if (!record) throw new AuthenticationFailedError('invalid');
    return this.tokens.issue({
      sub: principal.subjectId,
      st: principal.subjectType,
      zid: record.key.zoneId,
      role: principal.role,
      kid: record.key.id,
    });
  }
}
