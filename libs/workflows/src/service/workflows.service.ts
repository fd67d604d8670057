import { Inject, Injectable } from '@nestjs/common';
import { roleAllows } from '@nexus/auth';
import { BaseConfig, DOMAINS, decodeCursor, encodeCursor, isUuid } from '@nexus/core';
import type { ComposedDomains, Page, Principal } from '@nexus/core';
import { AuditLogWriter, isUniqueViolation } from '@nexus/storage-models';
import { subscriptionSettingsFrom } from '@nexus/subscriptions';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { parseWorkflowDefinition } from '../definition/parse-definition';
import type { DefinitionContext, WorkflowDefinition } from '../definition/workflow-definition';
import { Workflow } from '../entities/workflow.entity';
import { notWorkflowOwner, workflowNameTaken, workflowNotFound } from '../workflows.errors';

// A forged cursor must be a 400, not a PostgreSQL cast error (500).
const isPosition = (value: unknown): value is { id: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { id?: unknown }).id === 'string' &&
  isUuid((value as { id: string }).id);

const subjectOf = (principal: Principal): string => `${principal.subjectType}:${principal.subjectId}`;

/** The definition a stored workflow holds. */
export function definitionOf(workflow: Workflow): WorkflowDefinition {
  return {
    name: workflow.name,
    description: workflow.description,
    enabled: workflow.enabled,
    trigger: workflow.trigger,
    conditions: workflow.conditions,
    actions: workflow.actions,
    allowSelfTrigger: workflow.allowSelfTrigger,
    maxRunsPerMinute: workflow.maxRunsPerMinute,
  };
}

/**
 * A zone's workflow definitions. Anyone of the zone (editor+) lists and reads them;
 * only the owner (the creator, whose permissions a run uses) or a zone admin changes
 * one. Every change and its audit entry commit in one transaction.
 */
@Injectable()
export class WorkflowsService {
  private readonly context: DefinitionContext;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogWriter,
    @Inject(DOMAINS) domains: ComposedDomains,
    config: BaseConfig,
  ) {
    const webhooks = subscriptionSettingsFrom(config);
    this.context = {
      eventTypes: new Set(domains.eventTypes.keys()),
      jobTypes: new Set(domains.jobTypes.keys()),
      webhookUrlPolicy: { allowHttp: webhooks.allowHttp, allowList: webhooks.allowList },
    };
  }

  async create(principal: Principal, input: unknown): Promise<Workflow> {
    const definition = parseWorkflowDefinition(input, this.context);
    return this.write(async (manager) => {
      const saved = await manager.save(
        manager.create(Workflow, {
          ...definition,
          zoneId: principal.zoneId,
          owner: subjectOf(principal),
          pausedReason: null,
        }),
      );
      await this.record(manager, 'workflow_created', saved);
      return saved;
    }, definition.name);
  }

  async list(principal: Principal, limit: number, cursor?: string): Promise<Page<Workflow>> {
    const query = this.dataSource
      .getRepository(Workflow)
      .createQueryBuilder('workflow')
      .where('workflow.zoneId = :zoneId', { zoneId: principal.zoneId })
      .orderBy('workflow.id', 'ASC')
      .take(limit + 1);
    if (cursor) query.andWhere('workflow.id > :after', { after: decodeCursor(cursor, isPosition).id });
    const rows = await query.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null };
  }

  get(principal: Principal, id: string): Promise<Workflow> {
    return this.find(this.dataSource.manager, principal, id);
  }

  /** PATCH: the fields given, merged over the stored definition and validated whole. */
  async update(principal: Principal, id: string, input: unknown): Promise<Workflow> {
    return this.write(async (manager) => {
      const workflow = await this.owned(manager, principal, id);
      const definition = parseWorkflowDefinition(input, this.context, { partial: definitionOf(workflow) });
      const enabledAgain = definition.enabled && !workflow.enabled;
      Object.assign(workflow, definition, enabledAgain ? { pausedReason: null } : {});
      const saved = await manager.save(workflow);
      const fields = typeof input === 'object' && input !== null ? Object.keys(input).sort() : [];
      await this.record(manager, 'workflow_updated', saved, { fields });
      return saved;
    });
  }

  setEnabled(principal: Principal, id: string, enabled: boolean): Promise<Workflow> {
    return this.update(principal, id, { enabled });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.write(async (manager) => {
      const workflow = await this.owned(manager, principal, id);
      await manager.delete(Workflow, { id: workflow.id });
      await this.record(manager, 'workflow_deleted', workflow);
    });
  }

  /**
   * Import: a definition whose name the zone has already is an update of that
   * workflow (by its owner or an admin), any other a new one — so importing the same
   * file twice leaves one workflow.
   */
  async import(principal: Principal, input: unknown): Promise<{ workflow: Workflow; created: boolean }> {
    const definition = parseWorkflowDefinition(input, this.context);
    const existing = await this.dataSource
      .getRepository(Workflow)
      .findOneBy({ zoneId: principal.zoneId, name: definition.name });
    if (!existing) return { workflow: await this.create(principal, definition), created: true };
    return { workflow: await this.update(principal, existing.id, definition), created: false };
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>, name?: string): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw workflowNameTaken(name ?? '');
      throw error;
    }
  }

  private async find(manager: EntityManager, principal: Principal, id: string, forUpdate = false): Promise<Workflow> {
    const workflow = await manager.findOne(Workflow, {
      where: { id, zoneId: principal.zoneId },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!workflow) throw workflowNotFound(id);
    return workflow;
  }

  private async owned(manager: EntityManager, principal: Principal, id: string): Promise<Workflow> {
    const workflow = await this.find(manager, principal, id, true);
    if (workflow.owner !== subjectOf(principal) && !roleAllows(principal.role, 'admin')) throw notWorkflowOwner(id);
    return workflow;
  }

  private async record(
    manager: EntityManager,
    action: string,
    workflow: Workflow,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await this.audit.write(
      {
        action,
        outcome: 'success',
        zoneId: workflow.zoneId,
        resource: { type: 'workflow', id: workflow.id },
        details: { name: workflow.name, owner: workflow.owner, ...details },
      },
      manager,
    );
  }
}
