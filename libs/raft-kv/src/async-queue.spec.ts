import { AsyncQueue } from './async-queue';
import { KvError, KvErrorCode } from './kv.errors';

describe('AsyncQueue', () => {
  it('delivers pushed items in order, to a waiting reader too', async () => {
    const queue = new AsyncQueue<number>(10);
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);

    await expect(waiting).resolves.toEqual({ value: 1, done: false });
    await expect(queue.next()).resolves.toEqual({ value: 2, done: false });
    await expect(queue.next()).resolves.toEqual({ value: 3, done: false });
  });

  it('finishes after the buffered items when ended, and ignores later pushes', async () => {
    const queue = new AsyncQueue<number>(10);
    queue.push(1);
    queue.end();
    queue.push(2);
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);

    expect(seen).toEqual([1]);
  });

  it('throws the failure after the buffered items, also to a waiting reader', async () => {
    const queue = new AsyncQueue<number>(10);
    queue.push(1);
    queue.fail(new Error('stream broke'));
    await expect(queue.next()).resolves.toEqual({ value: 1, done: false });
    await expect(queue.next()).rejects.toThrow('stream broke');
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true });

    const other = new AsyncQueue<number>(10);
    const waiting = other.next();
    other.fail(new Error('later'));
    await expect(waiting).rejects.toThrow('later');
  });

  it('fails with KV_WATCH_OVERFLOW instead of growing past its capacity', async () => {
    const queue = new AsyncQueue<number>(2);
    queue.push(1);
    queue.push(2);
    queue.push(3);

    await queue.next();
    await queue.next();
    const error: unknown = await queue.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KvError);
    expect((error as KvError).code).toBe(KvErrorCode.WatchOverflow);
  });

  it('calls its return hook when the consumer leaves a for-await loop', async () => {
    const onReturn = jest.fn(async () => undefined);
    const queue = new AsyncQueue<number>(10, onReturn);
    queue.push(1);
    queue.push(2);
    for await (const _ of queue) break;

    expect(onReturn).toHaveBeenCalledTimes(1);
    expect(queue.closed).toBe(true);
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
