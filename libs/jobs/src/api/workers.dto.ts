import { ApiProperty } from '@nestjs/swagger';
import { WORKER_STATES } from '../entities/worker-heartbeat.entity';
import type { WorkerHeartbeat, WorkerState } from '../entities/worker-heartbeat.entity';

/** What a worker last said about itself, or `gone` when its heartbeat is stale. */
export const WORKER_VIEW_STATES = [...WORKER_STATES, 'gone'] as const;
export type WorkerViewState = (typeof WORKER_VIEW_STATES)[number];

export class WorkerResponse {
  @ApiProperty({ description: '`hostname-pid-random`' }) workerId: string;
  @ApiProperty() hostname: string;
  @ApiProperty({ type: 'integer' }) pid: number;
  @ApiProperty({ enum: WORKER_VIEW_STATES }) state: WorkerViewState;
  @ApiProperty({ description: 'Not stopped, and its heartbeat is fresh' }) alive: boolean;
  @ApiProperty({ type: 'integer', description: 'Jobs it runs at once' }) concurrency: number;
  @ApiProperty({ type: 'integer' }) activeJobs: number;
  @ApiProperty({ type: 'integer' }) jobsProcessed: number;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) lastSeenAt: string;
}

export class WorkerList {
  @ApiProperty({ type: [WorkerResponse] }) items: WorkerResponse[];
}

/** `staleAfterMs`: a heartbeat older than this (at `now`) means the worker is gone. */
export function toWorkerResponse(row: WorkerHeartbeat, now: Date, staleAfterMs: number): WorkerResponse {
  const alive = row.state !== 'stopped' && now.getTime() - row.lastSeenAt.getTime() <= staleAfterMs;
  const state: WorkerState | 'gone' = alive || row.state === 'stopped' ? row.state : 'gone';
  return {
    workerId: row.workerId,
    hostname: row.hostname,
    pid: row.pid,
    state,
    alive,
    concurrency: row.concurrency,
    activeJobs: row.activeJobs,
    jobsProcessed: row.jobsProcessed,
    startedAt: row.startedAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
  };
}
