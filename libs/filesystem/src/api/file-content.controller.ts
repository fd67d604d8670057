import type { Readable } from 'node:stream';
import {
  Controller,
  Delete,
  Get,
  Head,
  Headers,
  HttpCode,
  Put,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { ApiErrors, ValidationError } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FsErrorCode } from '../filesystem.errors';
import type { FileStat } from '../fs.types';
import { FileReader } from '../service/file-reader.service';
import { FileWriter } from '../service/file-writer.service';
import { FsTree } from '../service/fs-tree.service';
import { filePathOf } from './file-path-param';
import {
  DELETE_HEADERS,
  FILE_BYTES,
  FILE_HEADERS,
  RANGE_HEADERS,
  WRITE_HEADERS,
} from './file-content.openapi';
import { matchesIfNoneMatch, quotedEtag, setFileHeaders } from './file-response';
import { ReadFileQueryDto, WriteFileQueryDto } from './fs-query.dto';
import { FS_ROUTE_ERRORS } from './fs-route-errors';
import { FileWriteResponse, toFileWriteResponse } from './fs-write.dto';
import { RangeNotSatisfiableError, requestedRange } from './http-range';
import { readOptionsOf } from './query-values';
import { discardUpload, uploadBody, uploadContentType } from './raw-upload';
import { RevisionHeaderInterceptor, setRevisionHeader } from './revision-header';

const PATH_PARAM = {
  name: 'path',
  type: String,
  description:
    'The file’s zone path without the leading `/`: segments separated by literal `/`, ' +
    'each URL-encoded (an encoded `%2F` is refused)',
};

/** File content over plain HTTP: PUT streams an upload in, GET/HEAD serve bytes with etags and ranges, DELETE removes. */
@ApiTags('files')
@ApiBearerAuth()
@ApiErrors(...FS_ROUTE_ERRORS, 404, 409)
@Controller('api/v1/files')
@UseInterceptors(RevisionHeaderInterceptor)
export class FileContentController {
  constructor(
    private readonly writer: FileWriter,
    private readonly reader: FileReader,
    private readonly tree: FsTree,
  ) {}

  @Put('*')
  @MinRole('editor')
  @ApiOperation({ summary: 'Write a file from the raw request body (streamed): 201 new, 200 overwritten' })
  @ApiParam(PATH_PARAM)
  @ApiConsumes('application/octet-stream')
  @ApiBody({
    description: 'The content, streamed; its Content-Type becomes the file’s MIME type',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'Etag the file must have (`*`: must exist)' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: '`*`: the file must not exist yet' })
  @ApiResponse({ status: 201, type: FileWriteResponse, headers: WRITE_HEADERS, description: 'A new file' })
  @ApiResponse({
    status: 200,
    type: FileWriteResponse,
    headers: WRITE_HEADERS,
    description: 'A new version of an existing file',
  })
  @ApiErrors(412, 413, 423)
  async write(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Query() query: WriteFileQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FileWriteResponse> {
    const result = await this.writer
      .write(principal, filePathOf(request), uploadBody(request), {
        parents: query.parents,
        preconditions: { ifMatch, ifNoneMatch },
        mimeType: uploadContentType(request),
      })
      .catch((error: unknown) => {
        discardUpload(request, reply);
        throw error;
      });
    void reply.status(result.created ? 201 : 200).header('ETag', quotedEtag(result.etag));
    return toFileWriteResponse(result);
  }

  @Head('*')
  @MinRole('viewer')
  @ApiOperation({ summary: 'The headers a GET would answer, without the content' })
  @ApiParam(PATH_PARAM)
  @ApiOkResponse({ headers: FILE_HEADERS, description: 'The file’s headers, no content' })
  async head(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Query() query: ReadFileQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const stat = await this.describe(principal, request, query);
    setFileHeaders(reply, stat);
    void reply.header('Content-Length', String(stat.size));
  }

  @Get('*')
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Read a file (or a past version): whole, or one byte range (206); 304 when fresh',
  })
  @ApiParam(PATH_PARAM)
  @ApiHeader({ name: 'Range', required: false, description: '`bytes=a-b`, `bytes=a-` or `bytes=-n`' })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'Answer 304 when the etag still matches',
  })
  @ApiOkResponse({ content: FILE_BYTES, headers: FILE_HEADERS, description: 'The content' })
  @ApiResponse({
    status: 206,
    content: FILE_BYTES,
    headers: RANGE_HEADERS,
    description: 'The requested range',
  })
  @ApiResponse({ status: 304, description: 'Not modified: the If-None-Match etag is current' })
  @ApiErrors(416)
  async read(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Query() query: ReadFileQueryDto,
    @Headers('range') rangeHeader: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable | undefined> {
    const stat = await this.describe(principal, request, query);
    if (matchesIfNoneMatch(ifNoneMatch, stat.etag)) {
      setFileHeaders(reply, stat);
      void reply.status(304);
      return undefined;
    }
    const asked = this.rangeOr416(reply, stat.size, () => requestedRange(rangeHeader, stat.size));
    // Pinned to the described version, so headers and bytes cannot come from two versions.
    const opened = await this.rangeOr416(reply, stat.size, () =>
      this.reader.open(principal, stat.path, { version: stat.version, range: asked ?? undefined }),
    );
    // Only now: an error answered earlier must not go out with the file's Content-Type.
    setFileHeaders(reply, stat);
    const { start, end } = opened.range ?? { start: 0, end: stat.size - 1 };
    void reply.header('Content-Length', String(end - start + 1));
    if (opened.range) void reply.status(206).header('Content-Range', `bytes ${start}-${end}/${stat.size}`);
    return opened.body;
  }

  @Delete('*')
  @HttpCode(204)
  @MinRole('editor')
  @ApiOperation({ summary: 'Delete a file (If-Match honoured)' })
  @ApiParam(PATH_PARAM)
  @ApiHeader({ name: 'If-Match', required: false, description: 'Etag the file must have' })
  @ApiNoContentResponse({ headers: DELETE_HEADERS, description: 'Deleted' })
  @ApiErrors(412, 423)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const { revision } = await this.tree.deleteFile(principal, filePathOf(request), { ifMatch });
    setRevisionHeader(reply, revision);
  }

  private describe(
    principal: Principal,
    request: FastifyRequest,
    query: ReadFileQueryDto,
  ): Promise<FileStat> {
    return this.reader.describe(principal, filePathOf(request), {
      ...readOptionsOf(query),
      version: query.version,
    });
  }

  /** Runs `work`; an unsatisfiable range becomes 416 with `Content-Range: bytes *\/size`. */
  private rangeOr416<T>(reply: FastifyReply, size: number, work: () => T): T {
    const reject = (error: unknown): never => {
      const unsatisfiable =
        error instanceof RangeNotSatisfiableError ||
        (error instanceof ValidationError && error.code === FsErrorCode.InvalidRange);
      if (!unsatisfiable) throw error;
      void reply.header('Content-Range', `bytes */${size}`);
      throw error instanceof RangeNotSatisfiableError ? error : new RangeNotSatisfiableError(size);
    };
    try {
      const result = work();
      return (result instanceof Promise ? result.catch(reject) : result) as T;
    } catch (error) {
      return reject(error);
    }
  }
}
