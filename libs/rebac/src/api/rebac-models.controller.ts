import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { RebacModelsService } from '../rebac-models.service';
import { ModelResponse, ReadModelQueryDto, WriteModelRequestDto } from './models.dto';
import { REBAC_ROUTE_ERRORS } from './rebac-route-errors';

/** The authorization model of the caller's zone. */
@ApiTags('rebac')
@ApiBearerAuth()
@ApiErrors(...REBAC_ROUTE_ERRORS)
@Controller('api/v1/rebac/model')
export class RebacModelsController {
  constructor(private readonly models: RebacModelsService) {}

  @Put()
  @MinRole('admin')
  @ApiOperation({ summary: 'Write a new model version (OpenFGA JSON or DSL); in force at once (zone admin)' })
  @ApiOkResponse({ type: ModelResponse })
  async write(
    @CurrentPrincipal() principal: Principal,
    @Body() body: WriteModelRequestDto,
  ): Promise<ModelResponse> {
    return this.models.write(principal.zoneId, body);
  }

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'The model in force, or a given version; format=dsl adds the DSL text' })
  @ApiOkResponse({ type: ModelResponse })
  @ApiErrors(404)
  async read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReadModelQueryDto,
  ): Promise<ModelResponse> {
    return this.models.read(principal.zoneId, { version: query.version, format: query.format });
  }
}
