import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { RebacService } from '../rebac.service';
import {
  ListObjectsRequestDto,
  ListSubjectsRequestDto,
  ObjectPageResponse,
  SubjectPageResponse,
} from './list.dto';
import { EVALUATION_ERRORS, REBAC_ROUTE_ERRORS } from './rebac-route-errors';

/** Complete, paged lists over the caller's zone. */
@ApiTags('rebac')
@ApiBearerAuth()
@ApiErrors(...REBAC_ROUTE_ERRORS, ...EVALUATION_ERRORS)
@Controller('api/v1/rebac')
export class RebacListController {
  constructor(private readonly rebac: RebacService) {}

  @Post('list-objects')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Every object of a type on which the subject has the relation (complete, paged by id)',
  })
  @ApiOkResponse({ type: ObjectPageResponse })
  async listObjects(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ListObjectsRequestDto,
  ): Promise<ObjectPageResponse> {
    return this.rebac.listObjects(principal.zoneId, body);
  }

  @Post('list-subjects')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Every subject matching the filters that has the relation on the object (complete, paged)',
  })
  @ApiOkResponse({ type: SubjectPageResponse })
  async listSubjects(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ListSubjectsRequestDto,
  ): Promise<SubjectPageResponse> {
    return this.rebac.listSubjects(principal.zoneId, body);
  }
}
