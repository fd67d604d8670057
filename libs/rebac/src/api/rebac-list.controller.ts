import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Principal } from '@nexus/core';
import { ListObjectsRequestDto, ListSubjectsRequestDto } from '../dto/list.dto';
import { RebacService } from '../rebac.service';
import { ObjectPageDto, SubjectPageDto } from './rebac-responses.dto';

/** Complete, paged lists over the caller's zone. */
@ApiTags('rebac')
@ApiBearerAuth()
@Controller('api/v1/rebac')
export class RebacListController {
  constructor(private readonly rebac: RebacService) {}

  @Post('list-objects')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Every object of a type on which the subject has the relation (complete, paged by id)',
  })
  @ApiOkResponse({ type: ObjectPageDto })
  async listObjects(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ListObjectsRequestDto,
  ): Promise<ObjectPageDto> {
    return this.rebac.listObjects(principal.zoneId, body);
  }

  @Post('list-subjects')
  @HttpCode(200)
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Every subject matching the filters that has the relation on the object (complete, paged)',
  })
  @ApiOkResponse({ type: SubjectPageDto })
  async listSubjects(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ListSubjectsRequestDto,
  ): Promise<SubjectPageDto> {
    return this.rebac.listSubjects(principal.zoneId, body);
  }
}
