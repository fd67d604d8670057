import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** `hostname-pid-rand8`: unique across restarts and hosts, readable in logs and lease owners. */
export function createWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
