import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Principal } from '@nexus/core';
import { ReadModelQueryDto } from '../dto/queries.dto';
import { WriteModelRequestDto } from '../dto/write-model.dto';
import { RebacModelsService } from '../rebac-models.service';
import { ModelResponseDto } from './rebac-responses.dto';

/** The authorization model of the caller's zone. */
@ApiTags('rebac')
@ApiBearerAuth()
@Controller('api/v1/rebac/model')
export class RebacModelsController {
  constructor(private readonly models: RebacModelsService) {}

  @Put()
  @MinRole('admin')
  @ApiOperation({ summary: 'Write a new model version (OpenFGA JSON or DSL); in force at once (zone admin)' })
  @ApiOkResponse({ type: ModelResponseDto })
  async write(
    @CurrentPrincipal() principal: Principal,
    @Body() body: WriteModelRequestDto,
  ): Promise<ModelResponseDto> {
    return this.models.write(principal.zoneId, body);
  }

  @Get()
  @MinRole('viewer')
  @ApiOperation({ summary: 'The model in force, or a given version; format=dsl adds the DSL text' })
  @ApiOkResponse({ type: ModelResponseDto })
  async read(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReadModelQueryDto,
  ): Promise<ModelResponseDto> {
    return this.models.read(principal.zoneId, { version: query.version, format: query.format });
  }
}
