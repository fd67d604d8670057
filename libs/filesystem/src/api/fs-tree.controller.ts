import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import type { Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { FsTree } from '../service/fs-tree.service';
import { MkdirDto, RmdirDto, TransferDto } from './fs-body.dto';
import type { ResultOf } from './result-of';
import { RevisionHeaderInterceptor } from './revision-header';

/** Directory and tree mutations: mkdir, rmdir, rename, copy. */
@ApiTags('filesystem')
@ApiBearerAuth()
@Controller('api/v1/fs')
@UseInterceptors(RevisionHeaderInterceptor)
export class FsTreeController {
  constructor(private readonly tree: FsTree) {}

  @Post('mkdir')
  @MinRole('editor')
  @ApiOperation({
    summary: 'Create a directory (parents: with its missing ancestors): 201 created, 200 existed',
  })
  async mkdir(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MkdirDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ResultOf<FsTree, 'mkdir'>> {
    const result = await this.tree.mkdir(principal, body.path, { parents: body.parents });
    void reply.status(result.created ? 201 : 200);
    return result;
  }

  @Post('rmdir')
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Remove a directory (recursive: with everything below it)' })
  async rmdir(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RmdirDto,
  ): Promise<ResultOf<FsTree, 'rmdir'>> {
    return this.tree.rmdir(principal, body.path, { recursive: body.recursive });
  }

  @Post('rename')
  @HttpCode(200)
  @MinRole('editor')
  @ApiOperation({ summary: 'Move a file or a whole directory subtree, atomically' })
  async rename(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TransferDto,
  ): Promise<ResultOf<FsTree, 'rename'>> {
    return this.tree.rename(principal, body.from, body.to, { overwrite: body.overwrite });
  }

  @Post('copy')
  @MinRole('editor')
  @ApiOperation({ summary: 'Copy a file or a directory subtree (201)' })
  async copy(
    @CurrentPrincipal() principal: Principal,
    @Body() body: TransferDto,
  ): Promise<ResultOf<FsTree, 'copy'>> {
    return this.tree.copy(principal, body.from, body.to, { overwrite: body.overwrite });
  }
}
