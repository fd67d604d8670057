import { Timestamped, UuidEntity, ZoneScoped } from '@nexus/storage-models';
import { Column, Entity, Index } from 'typeorm';
import type { WorkflowAction, WorkflowCondition, WorkflowTrigger } from '../definition/workflow-definition';

/**
 * One workflow of a zone: trigger → conditions → actions, run as its owner. The
 * definition's parts are stored as validated JSON (parseWorkflowDefinition); the name
 * is unique in the zone, so an import of the same file finds it again.
 */
@Entity('workflows')
@Index(['zoneId', 'name'], { unique: true })
export class Workflow extends ZoneScoped(Timestamped(UuidEntity)) {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb' })
  trigger: WorkflowTrigger;

  @Column({ type: 'jsonb', nullable: true })
  conditions: WorkflowCondition | null;

  @Column({ type: 'jsonb' })
  actions: WorkflowAction[];

  @Column({ type: 'boolean', default: false })
  allowSelfTrigger: boolean;

  @Column({ type: 'int', default: 600 })
  maxRunsPerMinute: number;

  /** The subject it runs as, `type:id`: its creator. */
  @Column({ type: 'varchar', length: 300 })
  owner: string;

  /** Set when the rate cap paused it (cleared by enabling it again). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  pausedReason: string | null;
}
