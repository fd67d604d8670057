import type { KvChange, KvStore, KvWatch } from '../../kv-store';
import { KvError } from '../../kv.errors';

export interface ContractContext {
  /** The fresh store of the running test. */
  store(): KvStore;
  /** Another handle on the same data (closed after the test). */
  sibling(): Promise<KvStore>;
  /** Another fresh, empty store (closed after the test). */
  fresh(): Promise<KvStore>;
}

export const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
export const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : Buffer.from(value).toString('utf8');
export const keysOf = (entries: { key: Uint8Array }[]): string[] =>
  entries.map((entry) => Buffer.from(entry.key).toString('utf8'));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The KvError code a promise rejects with (fails the test when it resolves or throws something else). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KvError) return error.code;
    throw error;
  }
  throw new Error('expected a KvError, but the call succeeded');
}

/** The next `count` changes of a watch, or a failure naming what did arrive within `timeoutMs`. */
export async function take(watch: KvWatch, count: number, timeoutMs = 5_000): Promise<KvChange[]> {
  const iterator = watch[Symbol.asyncIterator]();
  const seen: KvChange[] = [];
  const deadline = Date.now() + timeoutMs;
  while (seen.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const next = await Promise.race([iterator.next(), timeout]).finally(() => clearTimeout(timer));
    if (next === 'timeout')
      throw new Error(`watch delivered ${seen.length} of ${count} changes: ${JSON.stringify(plain(seen))}`);
    if (next.done) throw new Error(`watch ended after ${seen.length} of ${count} changes`);
    seen.push(next.value);
  }
  return seen;
}

/** Changes as plain strings, for readable assertions. */
export function plain(changes: KvChange[]): { type: string; table: string; key: string; value?: string }[] {
  return changes.map((change) => ({
    type: change.type,
    table: change.table,
    key: text(change.key) ?? '',
    ...(change.value === undefined ? {} : { value: text(change.value) }),
  }));
}

/** Polls `attempt` until it resolves a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  attempt: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
