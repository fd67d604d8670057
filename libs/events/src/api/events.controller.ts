import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Authenticator, CurrentPrincipal, MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiConfig, ApiErrors, DOMAINS } from '@nexus/core';
import type { ComposedDomains, Principal } from '@nexus/core';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { EventConsumerList } from './event-consumers.dto';
import { EventConsumersView } from './event-consumers.service';
import { positionOf } from './event-cursor';
import { parseEventFilter } from './event-filter';
import { EventReplay } from './event-replay.service';
import { EventStream } from './event-stream';
import { EventStreamHub } from './event-stream-hub';
import { EventVisibility } from './event-visibility.service';
import { EventFilterQueryDto, EventPageResponse, ReplayEventsQueryDto } from './events.dto';
import { STREAM_DESCRIPTION } from './events.openapi';

/** The headers Fastify's hooks set (security, request id, CORS), which a hijacked reply must send itself, and no caching. */
function streamHeaders(reply: FastifyReply): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  return {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    // Proxies (nginx) would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  };
}

@ApiTags('events')
@ApiBearerAuth()
// 403: a role below the route's, or X-Nexus-Zone-Id names another zone.
@ApiErrors(...AUTHENTICATED_ERRORS, 403)
@Controller('api/v1/events')
export class EventsController {
  constructor(
    @Inject(DOMAINS) private readonly domains: ComposedDomains,
    private readonly replay: EventReplay,
    private readonly hub: EventStreamHub,
    private readonly visibility: EventVisibility,
    private readonly consumers: EventConsumersView,
    private readonly config: ApiConfig,
    private readonly authenticator: Authenticator,
  ) {}

  @Get()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'The zone’s events in order, only those the caller may see, paged by cursor',
    description:
      'A page examines at most 10 × limit positions: it may hold fewer than `limit` events (even none) ' +
      'while `hasMore` is true. `nextCursor` is never null; pass it as `after` to continue.',
  })
  @ApiOkResponse({ type: EventPageResponse })
  // 400: an invalid after, types, path or limit (details.field / details.fields names it).
  @ApiErrors(400)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReplayEventsQueryDto,
  ): Promise<EventPageResponse> {
    const filter = parseEventFilter(query.types, query.path, this.domains.eventTypes);
    const after = query.after === undefined ? 0n : positionOf('after', query.after);
    return this.replay.page(principal, after, filter, query.limit);
  }

  @Get('stream')
  @MinRole('viewer')
  @ApiOperation({ summary: 'The zone’s events live, as Server-Sent Events', description: STREAM_DESCRIPTION })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this cursor (wins over `after`)',
  })
  @ApiOkResponse({
    description: 'An endless text/event-stream (see the description for its frames)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  // 400: an invalid after, Last-Event-ID, types or path.
  @ApiErrors(400)
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: EventFilterQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Everything that can fail runs before the response starts, so failures still answer as JSON.
    const filter = parseEventFilter(query.types, query.path, this.domains.eventTypes);
    const after =
      lastEventId !== undefined && lastEventId !== ''
        ? positionOf('Last-Event-ID', lastEventId)
        : query.after !== undefined
          ? positionOf('after', query.after)
          : null;
    // Read before the headers go out: a write the client makes once connected is past this start.
    const start = after ?? (await this.hub.head(principal.zoneId));
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, streamHeaders(reply));
    response.socket?.setNoDelay(true);
    response.write(': connected\n\n');
    const stream = new EventStream(principal, response, filter, start, this.visibility, {
      maxPending: this.config.NEXUS_EVENT_STREAM_MAX_PENDING,
      heartbeatMs: this.config.NEXUS_EVENT_STREAM_HEARTBEAT_MS,
      credentialUsable: () => this.authenticator.keyStillUsable(principal.keyId),
    });
    this.hub.attach(stream, after !== null);
  }

  @Get('consumers')
  @MinRole('operator')
  @ApiOperation({
    summary: 'The registered event consumers, with their position and lag in the caller’s zone',
  })
  @ApiOkResponse({ type: EventConsumerList })
  async listConsumers(@CurrentPrincipal() principal: Principal): Promise<EventConsumerList> {
    return this.consumers.list(principal.zoneId);
  }
}
