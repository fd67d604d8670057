import { KvError, KvErrorCode } from './kv.errors';

/**
 * A single-consumer async iterator fed by pushes (e.g. etcd watch events).
 * Bounded: when more than `capacity` items wait unread, the queue fails with
 * KV_WATCH_OVERFLOW instead of growing without limit.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting:
    { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;
  private ended = false;

  constructor(
    private readonly capacity: number,
    private readonly onReturn: () => Promise<void> = async () => undefined,
  ) {}

  push(item: T): void {
    if (this.ended || this.failure !== undefined) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.capacity) {
      this.fail(
        new KvError(KvErrorCode.WatchOverflow, `A watcher fell more than ${this.capacity} changes behind`),
      );
      return;
    }
    this.items.push(item);
  }

  /** Delivers what is buffered, then throws `error`. */
  fail(error: Error): void {
    if (this.ended || this.failure !== undefined) return;
    this.failure = error;
    this.settleWaiting();
  }

  /** Delivers what is buffered, then finishes. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.settleWaiting();
  }

  get closed(): boolean {
    return this.ended || this.failure !== undefined;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.ended = true;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    await this.onReturn();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private settleWaiting(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      this.ended = true;
      waiting.reject(failure);
    } else {
      waiting.resolve({ value: undefined, done: true });
    }
  }
}
