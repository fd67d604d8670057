import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTHENTICATED_ERRORS, ApiErrors, PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal, MinRole } from '../guard/decorators';
import { UsersService } from '../users/users.service';
import { CreateUserDto, UpdateUserDto, UserPage, UserResponse, toUserResponse } from './users.dto';

@ApiTags('users')
@ApiBearerAuth()
// 400: invalid body, query or id; 403: a role below the route's, or X-Nexus-Zone-Id names another zone.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Create a user in the caller’s zone (admin)' })
  @ApiCreatedResponse({ type: UserResponse })
  // 409: the email is taken in this zone.
  @ApiErrors(409)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto): Promise<UserResponse> {
    return toUserResponse(await this.users.create(principal.zoneId, body));
  }

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'List the zone’s users, ordered by email' })
  @ApiOkResponse({ type: UserPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<UserPage> {
    const page = await this.users.list(principal.zoneId, query.limit, query.cursor);
    return { items: page.items.map(toUserResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @MinRole('viewer')
  @ApiOperation({ summary: 'One user of the zone' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(404)
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UserResponse> {
    return toUserResponse(await this.users.get(principal.zoneId, id));
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOperation({ summary: 'Change a user’s email, display name or disabled flag (admin)' })
  @ApiOkResponse({ type: UserResponse })
  // 409: the new email is taken in this zone.
  @ApiErrors(404, 409)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponse> {
    return toUserResponse(await this.users.update(principal.zoneId, id, body));
  }
}
