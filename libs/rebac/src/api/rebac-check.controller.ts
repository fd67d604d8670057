import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { RebacService } from '../rebac.service';
import { CheckBody } from './check-body';
import {
  BatchCheckRequestDto,
  BatchCheckResponse,
  CheckRequestDto,
  CheckResponse,
  ExpandRequestDto,
  ExpandResponse,
  ExplainResponse,
} from './check.dto';
import { EVALUATION_ERRORS, REBAC_ROUTE_ERRORS } from './rebac-route-errors';

/** Permission questions about the caller's zone: check, batch check, expand, explain. */
@ApiTags('rebac')
@ApiBearerAuth()
@ApiErrors(...REBAC_ROUTE_ERRORS, ...EVALUATION_ERRORS)
@Controller('api/v1/rebac')
export class RebacCheckController {
  constructor(private readonly rebac: RebacService) {}

  @Post('check')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'May the subject do relation on object? Answers with the revision it was computed at',
  })
  @ApiBody({ type: CheckRequestDto })
  @ApiOkResponse({ type: CheckResponse })
  async check(
    @CurrentPrincipal() principal: Principal,
    @CheckBody() body: CheckRequestDto,
  ): Promise<CheckResponse> {
    return this.rebac.check(principal.zoneId, body);
  }

  @Post('check/batch')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({ summary: 'Up to 1,000 checks at one revision; each result stands alone' })
  @ApiOkResponse({ type: BatchCheckResponse })
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BatchCheckRequestDto,
  ): Promise<BatchCheckResponse> {
    return this.rebac.batchCheck(principal.zoneId, body);
  }

  @Post('expand')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({ summary: 'The userset tree of object#relation' })
  @ApiOkResponse({ type: ExpandResponse })
  async expand(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ExpandRequestDto,
  ): Promise<ExpandResponse> {
    return this.rebac.expand(principal.zoneId, body);
  }

  @Post('explain')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({ summary: 'A check with its reason: the granting path, or every failed branch' })
  @ApiOkResponse({ type: ExplainResponse })
  async explain(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CheckRequestDto,
  ): Promise<ExplainResponse> {
    return this.rebac.explain(principal.zoneId, body);
  }
}
