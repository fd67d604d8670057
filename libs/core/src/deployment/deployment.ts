/**
 * The identity of one deployment (one database): created by the first migration and
 * stored in that database, so two deployments sharing a Redis never share its
 * queues, counters or channels by accident. Provided by the database module.
 */
export const DEPLOYMENT = Symbol('nexus:deployment');

export interface Deployment {
  id: string;
  /** Prefix of every Redis key and pub/sub channel this deployment uses. */
  redisPrefix: string;
}

export function deploymentOf(id: string): Deployment {
  return { id, redisPrefix: `nexus:${id}:` };
}

/** NEXUS_JOBS_QUEUE when set (an explicit, shared name), else a queue of this deployment's own. */
export function jobsQueueName(configured: string | undefined, deployment: Deployment): string {
  return configured ?? `nexus-jobs-${deployment.id}`;
}
