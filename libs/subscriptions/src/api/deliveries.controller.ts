import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { DeliveriesService } from '../service/deliveries.service';
import { DeliveryPage, DeliveryQueryDto, DeliveryResponse, toDeliveryResponse } from './deliveries.dto';

@ApiTags('subscriptions')
@ApiBearerAuth()
// 400: invalid query or id; 403: a role below operator; 404: no such subscription (or another zone's).
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403, 404)
@MinRole('operator')
@Controller('api/v1/subscriptions/:id')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('deliveries')
  @ApiOperation({
    summary: 'A subscription’s messages, newest first: status, attempts, latest response and next attempt',
  })
  @ApiOkResponse({ type: DeliveryPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryPage> {
    const page = await this.deliveries.list(principal, id, query);
    return { items: page.items.map(toDeliveryResponse), nextCursor: page.nextCursor };
  }

  @Post('deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a failed or skipped message again',
    description:
      'Same `webhook-id` and body, the retry schedule from its start. 409 when the message is not failed or ' +
      'skipped, or the subscription is disabled.',
  })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiErrors(409)
  async retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryResponse> {
    return toDeliveryResponse(await this.deliveries.retry(principal, id, deliveryId));
  }

  @Post('test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a signed `ping` message to the subscription’s URL',
    description: 'Delivered (and retried) like any message; follow it in GET /deliveries. 409 when disabled.',
  })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiErrors(409)
  async test(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DeliveryResponse> {
    return toDeliveryResponse(await this.deliveries.ping(principal, id));
  }
}
