import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { FsTree } from '../service/fs-tree.service';
import { MkdirDto, RmdirDto, TransferDto } from './fs-body.dto';
import { FS_ROUTE_ERRORS } from './fs-route-errors';
import { CopyResponse, MkdirResponse, RenameResponse, RmdirResponse } from './fs-tree.dto';
import { RevisionHeaderInterceptor } from './revision-header';

/** Directory and tree mutations: mkdir, rmdir, rename, copy. */
@ApiTags('filesystem')
@ApiBearerAuth()
@ApiErrors(...FS_ROUTE_ERRORS, 404, 409, 423)
@Controller('api/v1/fs')
@UseInterceptors(RevisionHeaderInterceptor)
export class FsTreeController {
  constructor(private readonly tree: FsTree) {}

  @Post('mkdir')
  @MinRole('editor')
  @ApiOperation({
    summary: 'Create a directory (parents: with its missing ancestors): 201 created, 200 existed',
  })
  @ApiResponse({ status: 201, type: MkdirResponse, description: 'Created' })
  @ApiResponse({ status: 200, type: MkdirResponse, description: 'Existed already (parents: true)' })
  async mkdir(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MkdirDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MkdirResponse> {
    const result = await this.tree.mkdir(principal, body.path, { parents: body.parents });
    void reply.status(result.created ? 201 : 200);
    return result;
  }

  @Post('rmdir')
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Remove a directory (recursive: with everything below it)' })
  @ApiOkResponse({ type: RmdirResponse })
  async rmdir(@CurrentPrincipal() principal: Principal, @Body() body: RmdirDto): Promise<RmdirResponse> {
    return this.tree.rmdir(principal, body.path, { recursive: body.recursive });
  }

  @Post('rename')
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Move a file or a whole directory subtree, atomically' })
  @ApiOkResponse({ type: RenameResponse })
  async rename(@CurrentPrincipal() principal: Principal, @Body() body: TransferDto): Promise<RenameResponse> {
    return this.tree.rename(principal, body.from, body.to, { overwrite: body.overwrite });
  }

  @Post('copy')
  @MinRole('editor')
  @ApiOperation({ summary: 'Copy a file or a directory subtree (201)' })
  @ApiResponse({ status: 201, type: CopyResponse, description: 'Copied' })
  async copy(@CurrentPrincipal() principal: Principal, @Body() body: TransferDto): Promise<CopyResponse> {
    return this.tree.copy(principal, body.from, body.to, { overwrite: body.overwrite });
  }
}
