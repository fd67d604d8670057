/** Messages between the multi-process tests and testing/kv-worker.ts. */
export interface WorkerOptions {
  engine: 'embedded' | 'etcd';
  path?: string;
  endpoints?: string[];
  namespace?: string;
  requestTimeoutMs?: number;
}

export type WorkerCommand =
  | { id: number; op: 'increments'; zone: string; count: number }
  | { id: number; op: 'locks'; name: string; owner: string; ttlMs: number; holds: number[] }
  | { id: number; op: 'fault-run'; owner: string; zone: string; lockName: string; ttlMs: number }
  | { id: number; op: 'stop' };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command as the test writes it; KvWorker.run adds the id. */
export type WorkerCommandInput = DistributiveOmit<WorkerCommand, 'id'>;

export interface WorkerReply {
  id: number;
  ready?: boolean;
  progress?: number;
  result?: unknown;
  error?: string;
}

/** One pass through a critical section; times are epoch ms with sub-ms precision. */
export interface LockSection {
  token: string;
  enter: number;
  exit: number;
  released: boolean;
  violations: string[];
}

export interface FaultRunResult {
  increments: string[];
  acked: string[];
  sections: LockSection[];
  revisions: string[];
  errors: number;
}
