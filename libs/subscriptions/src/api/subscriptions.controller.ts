import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiErrors, PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { SubscriptionsService } from '../service/subscriptions.service';
import {
  CreateSubscriptionDto,
  CreatedSubscriptionResponse,
  RotatedSecretResponse,
  SubscriptionPage,
  SubscriptionResponse,
  UpdateSubscriptionDto,
  toRotatedSecretResponse,
  toSubscriptionResponse,
} from './subscriptions.dto';

@ApiTags('subscriptions')
@ApiBearerAuth()
// 400: invalid body, query or id; 403: a role below operator, or X-Nexus-Zone-Id names another zone.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
@MinRole('operator')
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook subscription; its signing secret is in this response only',
    description:
      '400 names the field: a URL rule (`details.rule`: scheme, userinfo, loopback, private, metadata, …), ' +
      'an unknown event type (`eventTypes[i]`) or a glob that does not compile (`patterns[i]`).',
  })
  @ApiCreatedResponse({ type: CreatedSubscriptionResponse })
  // 503: NEXUS_ENCRYPTION_KEY is not configured (the secret is stored sealed).
  @ApiErrors(503)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateSubscriptionDto,
  ): Promise<CreatedSubscriptionResponse> {
    const created = await this.subscriptions.create(principal, body);
    return { ...toSubscriptionResponse(created.subscription), secret: created.secret };
  }

  @Get()
  @ApiOperation({ summary: 'The zone’s subscriptions, without secrets, paged by cursor' })
  @ApiOkResponse({ type: SubscriptionPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<SubscriptionPage> {
    const page = await this.subscriptions.list(principal, query.limit, query.cursor);
    return { items: page.items.map(toSubscriptionResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A subscription, without its secret' })
  @ApiOkResponse({ type: SubscriptionResponse })
  // 404 also for another zone's subscription.
  @ApiErrors(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.subscriptions.get(principal, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a subscription’s URL, event types, patterns, name, description, enabled or ordered',
  })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiErrors(404)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.subscriptions.update(principal, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.subscriptions.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a new signing secret (in this response only)',
    description:
      'The previous secret keeps signing (deliveries carry both signatures) until `previousSecretExpiresAt`, ' +
      'NEXUS_WEBHOOK_ROTATION_HOURS (default 24) from now.',
  })
  @ApiOkResponse({ type: RotatedSecretResponse })
  // 503: NEXUS_ENCRYPTION_KEY is not configured.
  @ApiErrors(404, 503)
  async rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<RotatedSecretResponse> {
    return toRotatedSecretResponse(await this.subscriptions.rotateSecret(principal, id));
  }
}
