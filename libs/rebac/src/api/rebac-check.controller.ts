import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Principal } from '@nexus/core';
import { BatchCheckRequestDto, BatchCheckResponseDto } from '../dto/batch-check.dto';
import { CheckRequestDto, CheckResponseDto } from '../dto/check.dto';
import { ExpandRequestDto } from '../dto/list.dto';
import { RebacService } from '../rebac.service';
import { CheckBody } from './check-body';
import { CheckCoalescer } from './check-coalescer';
import { ExpandResponseDto, ExplainResponseDto } from './rebac-responses.dto';

/** Permission questions about the caller's zone: check, batch check, expand, explain. */
@ApiTags('rebac')
@ApiBearerAuth()
@Controller('api/v1/rebac')
export class RebacCheckController {
  constructor(
    private readonly rebac: RebacService,
    private readonly checks: CheckCoalescer,
  ) {}

  @Post('check')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'May the subject do relation on object? Answers with the revision it was computed at',
  })
  @ApiBody({ type: CheckRequestDto })
  @ApiOkResponse({ type: CheckResponseDto })
  async check(
    @CurrentPrincipal() principal: Principal,
    @CheckBody() body: CheckRequestDto,
  ): Promise<CheckResponseDto> {
    return this.checks.check(principal.zoneId, body);
  }

  @Post('check/batch')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({ summary: 'Up to 1,000 checks at one revision; each result stands alone' })
  @ApiOkResponse({ type: BatchCheckResponseDto })
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BatchCheckRequestDto,
  ): Promise<BatchCheckResponseDto> {
    return this.rebac.batchCheck(principal.zoneId, body);
  }

  @Post('expand')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({ summary: 'The userset tree of object#relation' })
  @ApiOkResponse({ type: ExpandResponseDto })
  async expand(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ExpandRequestDto,
  ): Promise<ExpandResponseDto> {
    return this.rebac.expand(principal.zoneId, body);
  }

  @Post('explain')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({ summary: 'A check with its reason: the granting path, or every failed branch' })
  @ApiOkResponse({ type: ExplainResponseDto })
  async explain(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CheckRequestDto,
  ): Promise<ExplainResponseDto> {
    return this.rebac.explain(principal.zoneId, body);
  }
}
