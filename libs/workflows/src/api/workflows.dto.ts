import { ApiProperty } from '@nestjs/swagger';
import type { ApiPropertyOptions } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsIn, IsOptional } from 'class-validator';
import type { WorkflowAction, WorkflowCondition, WorkflowTrigger } from '../definition/workflow-definition';
import type { Workflow } from '../entities/workflow.entity';

const TRIGGER: SchemaObject = {
  type: 'object',
  description:
    '`{kind: "event", eventTypes[], globs[], actor?, debounceMs?}`, `{kind: "schedule", cron}` (5 fields, UTC) or `{kind: "manual"}`',
  additionalProperties: true,
};
const CONDITIONS: SchemaObject = {
  type: 'object',
  nullable: true,
  description:
    'A tree of `{all: [...]}`, `{any: [...]}`, `{not: {...}}` over predicates: `path` (`{glob}` or `{regex}`, RE2), ' +
    '`extension[]`, `mimeType[]`, `size {min?, max?}`, `tags {all?, any?}`, `metadata {key, equals | exists}`, `actor[]`, `version {min?, max?}`',
  additionalProperties: true,
};
const ACTIONS: SchemaObject = {
  type: 'array',
  description:
    'In order: `set_metadata {values}`, `add_tags`/`remove_tags {tags}`, `copy`/`move {to, overwrite?}`, `delete`, ' +
    '`write_file {path, content}`, `webhook {url, body?}`, `enqueue_job {jobType, payload}`; each may set `continueOnError`. ' +
    'Paths and contents are templates over the event (`{{path}}`, `{{stem}}`, `{{event.type}}`, …)',
  items: { type: 'object', additionalProperties: true },
};

/** The body of create, import (JSON) and — every field optional — PATCH. */
export const WORKFLOW_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['name', 'trigger', 'actions'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'Unique in the zone' },
    description: { type: 'string', maxLength: 2000, nullable: true },
    enabled: { type: 'boolean', default: true },
    trigger: TRIGGER,
    conditions: CONDITIONS,
    actions: ACTIONS,
    allowSelfTrigger: { type: 'boolean', default: false, description: 'Fire on events its own actions caused' },
    maxRunsPerMinute: { type: 'integer', minimum: 1, maximum: 100_000, default: 600 },
  },
};

export const DEFINITION_FORMATS = ['json', 'yaml'] as const;
export type DefinitionFormat = (typeof DEFINITION_FORMATS)[number];

export class ExportQueryDto {
  @ApiProperty({ enum: DEFINITION_FORMATS, required: false, default: 'json' })
  @IsOptional()
  @IsIn(DEFINITION_FORMATS, { message: 'format must be json or yaml' })
  format?: DefinitionFormat;
}

export class WorkflowResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty(TRIGGER as ApiPropertyOptions) trigger: WorkflowTrigger;
  @ApiProperty(CONDITIONS as ApiPropertyOptions) conditions: WorkflowCondition | null;
  @ApiProperty(ACTIONS as ApiPropertyOptions) actions: WorkflowAction[];
  @ApiProperty() allowSelfTrigger: boolean;
  @ApiProperty({ type: 'integer' }) maxRunsPerMinute: number;
  @ApiProperty({ description: 'The subject it runs as (its creator), `type:id`' }) owner: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the rate cap paused it' }) pausedReason: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class WorkflowPage {
  @ApiProperty({ type: [WorkflowResponse] }) items: WorkflowResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ImportedWorkflowResponse extends WorkflowResponse {
  @ApiProperty({ description: 'false: a workflow of that name existed and was updated' }) created: boolean;
}

export function toWorkflowResponse(workflow: Workflow): WorkflowResponse {
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description,
    enabled: workflow.enabled,
    trigger: workflow.trigger,
    conditions: workflow.conditions,
    actions: workflow.actions,
    allowSelfTrigger: workflow.allowSelfTrigger,
    maxRunsPerMinute: workflow.maxRunsPerMinute,
    owner: workflow.owner,
    pausedReason: workflow.pausedReason,
    createdAt: workflow.createdAt.toISOString(),
    updatedAt: workflow.updatedAt.toISOString(),
  };
}
