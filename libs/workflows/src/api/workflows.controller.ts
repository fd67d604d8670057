import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, MinRole } from '@nexus/auth';
import { AUTHENTICATED_ERRORS, ApiErrors, PaginationQueryDto } from '@nexus/core';
import type { Principal } from '@nexus/core';
import type { FastifyReply } from 'fastify';
import { exportDefinition, importDefinition } from '../definition/definition-format';
import { WorkflowsService, definitionOf } from '../service/workflows.service';
import {
  ExportQueryDto,
  ImportedWorkflowResponse,
  WORKFLOW_BODY_SCHEMA,
  WorkflowPage,
  WorkflowResponse,
  toWorkflowResponse,
} from './workflows.dto';
import { YAML_CONTENT_TYPES } from './yaml-body';

// PATCH: every field optional (an empty `required` list is not valid OpenAPI).
const { required: _required, ...PARTIAL_BODY_SCHEMA } = WORKFLOW_BODY_SCHEMA;

@ApiTags('workflows')
@ApiBearerAuth()
// 400: a definition rule (the message starts with the field, details.field names it); 403: viewer, or not the owner.
@ApiErrors(...AUTHENTICATED_ERRORS, 400, 403)
@MinRole('editor')
@Controller('api/v1/workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a workflow; it runs with the permissions of its creator (the owner)' })
  @ApiBody({ schema: WORKFLOW_BODY_SCHEMA })
  @ApiCreatedResponse({ type: WorkflowResponse })
  // 409: the zone has a workflow of that name.
  @ApiErrors(409)
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<WorkflowResponse> {
    return toWorkflowResponse(await this.workflows.create(principal, body));
  }

  @Get()
  @ApiOperation({ summary: 'The zone’s workflows, paged by cursor' })
  @ApiOkResponse({ type: WorkflowPage })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: PaginationQueryDto): Promise<WorkflowPage> {
    const page = await this.workflows.list(principal, query.limit, query.cursor);
    return { items: page.items.map(toWorkflowResponse), nextCursor: page.nextCursor };
  }

  @Post('import')
  @ApiOperation({
    summary: 'Create or update (by name) a workflow from an exported definition',
    description: 'JSON (application/json) or YAML (application/yaml); the same document imported twice leaves one workflow.',
  })
  @ApiConsumes('application/json', ...YAML_CONTENT_TYPES)
  @ApiBody({ schema: WORKFLOW_BODY_SCHEMA })
  @ApiCreatedResponse({ type: ImportedWorkflowResponse })
  @ApiErrors(409)
  async import(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<ImportedWorkflowResponse> {
    const definition = typeof body === 'string' ? importDefinition(body, 'yaml') : body;
    const { workflow, created } = await this.workflows.import(principal, definition);
    return { ...toWorkflowResponse(workflow), created };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A workflow' })
  @ApiOkResponse({ type: WorkflowResponse })
  // 404 also for another zone's workflow.
  @ApiErrors(404)
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkflowResponse> {
    return toWorkflowResponse(await this.workflows.get(principal, id));
  }

  @Get(':id/export')
  @ApiOperation({ summary: 'The workflow’s definition as a JSON or YAML document (for version control; re-import with POST /import)' })
  @ApiProduces('application/json', 'application/yaml')
  @ApiOkResponse({ description: 'The definition document', schema: { type: 'string' } })
  @ApiErrors(404)
  @Header('Cache-Control', 'no-store')
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const format = query.format ?? 'json';
    const workflow = await this.workflows.get(principal, id);
    void reply.type(format === 'yaml' ? 'application/yaml; charset=utf-8' : 'application/json; charset=utf-8');
    return exportDefinition(definitionOf(workflow), format);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change any part of a workflow (merged, then validated whole); owner or zone admin' })
  @ApiBody({ schema: PARTIAL_BODY_SCHEMA })
  @ApiOkResponse({ type: WorkflowResponse })
  @ApiErrors(404, 409)
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
  ): Promise<WorkflowResponse> {
    return toWorkflowResponse(await this.workflows.update(principal, id, body));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a workflow (clears a pause by the rate cap)' })
  @ApiOkResponse({ type: WorkflowResponse })
  @ApiErrors(404)
  async enable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkflowResponse> {
    return toWorkflowResponse(await this.workflows.setEnabled(principal, id, true));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a workflow' })
  @ApiOkResponse({ type: WorkflowResponse })
  @ApiErrors(404)
  async disable(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WorkflowResponse> {
    return toWorkflowResponse(await this.workflows.setEnabled(principal, id, false));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a workflow; owner or zone admin' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.workflows.remove(principal, id);
  }
}
