import { availableParallelism } from 'node:os';
import { ThreadPool } from '../util/thread-pool';
import { grepContent } from './grep-lines';
import type { GrepContentOptions, GrepContentResult } from './grep-lines';
import type { CompiledGrep } from './grep-pattern';
import type { GrepTask } from './grep-worker';

/** Where a file's content comes from. */
export interface BlobSource {
  /** The blob's path on this machine, when the store keeps it on local disk. */
  file?: string;
  read(): Promise<Buffer>;
}

/**
 * Verifies candidate files on worker threads (one per core), so a grep that
 * reads thousands of files uses every core and leaves the event loop free; the
 * caller keeps the order by awaiting the results in its own order. When
 * threads cannot start, files are verified on the calling thread instead.
 */
export class GrepPool {
  private static instance: GrepPool | null = null;
  private readonly threads = new ThreadPool<GrepTask, GrepContentResult>(
    'grep-worker',
    __dirname,
    Math.max(1, Math.min(8, availableParallelism())),
  );

  private constructor() {}

  /** The process's pool, started on first use. */
  static shared(): GrepPool {
    GrepPool.instance ??= new GrepPool();
    return GrepPool.instance;
  }

  /**
   * Greps one file: by its blob's `file` on a thread when the store has one,
   * else its content (read by `read`); null when the blob is gone. `compiled`
   * is the caller's own compilation of the same pattern (the inline fallback).
   */
  async run(
    pattern: string,
    compiled: CompiledGrep,
    options: GrepContentOptions,
    source: BlobSource,
  ): Promise<GrepContentResult | null> {
    const inline = async () => {
      const content = await source.read().catch(() => null);
      return content ? grepContent(content, compiled, options) : null;
    };
    const task = source.file
      ? { pattern, options, file: source.file }
      : { pattern, options, content: await source.read() };
    return this.threads.run(task, inline);
  }
}
