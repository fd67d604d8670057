import { Body, Controller, Patch, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import { FsMetadataWriter } from '../service/fs-metadata-writer.service';
import { UpdateMetadataDto, UpdateMetadataResponse } from './fs-metadata-update.dto';
import { FS_ROUTE_ERRORS } from './fs-route-errors';
import { RevisionHeaderInterceptor } from './revision-header';

/** User metadata and tags of an entry. */
@ApiTags('filesystem')
@ApiBearerAuth()
@ApiErrors(...FS_ROUTE_ERRORS, 404, 409, 412, 423)
@Controller('api/v1/fs')
@UseInterceptors(RevisionHeaderInterceptor)
export class FsMetadataUpdateController {
  constructor(private readonly writer: FsMetadataWriter) {}

  @Patch('metadata')
  @MinRole('editor')
  @ApiOperation({
    summary: 'Set or remove metadata keys and tags of a file or directory (editor on the entry)',
  })
  @ApiOkResponse({ type: UpdateMetadataResponse })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateMetadataDto,
  ): Promise<UpdateMetadataResponse> {
    const { path, ...update } = body;
    return this.writer.update(principal, path, update);
  }
}
