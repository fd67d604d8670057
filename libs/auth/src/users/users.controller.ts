import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { CurrentPrincipal, MinRole } from '../guard/decorators';
import { CreateUserDto, UpdateUserDto, UserPage, UserResponse } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @MinRole('admin')
  @ApiOperation({ summary: 'Create a user in the caller’s zone (admin)' })
  @ApiCreatedResponse({ type: UserResponse })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto): Promise<UserResponse> {
    return UserResponse.of(await this.users.create(principal.zoneId, body));
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
    return { items: page.items.map((user) => UserResponse.of(user)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @MinRole('viewer')
  @ApiOkResponse({ type: UserResponse })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<UserResponse> {
    return UserResponse.of(await this.users.get(principal.zoneId, id));
  }

  @Patch(':id')
  @MinRole('admin')
  @ApiOperation({ summary: 'Change a user’s email, display name or disabled flag (admin)' })
  @ApiOkResponse({ type: UserResponse })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponse> {
    return UserResponse.of(await this.users.update(principal.zoneId, id, body));
  }
}
