import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { grepContent } from './grep-lines';
import type { GrepContentOptions, GrepContentResult } from './grep-lines';
import type { CompiledGrep } from './grep-pattern';
import type { GrepTask, GrepTaskReply } from './grep-worker';

/** How the thread's script is found: beside the bundle (dist/nexus/grep-worker.js), else the TypeScript source. */
function workerScript(): { file: string; execArgv: string[]; env: NodeJS.ProcessEnv } {
  const bundled = join(__dirname, 'grep-worker.js');
  if (existsSync(bundled)) return { file: bundled, execArgv: [], env: process.env };
  // Sources (development, tests): the thread compiles its few modules with swc, as `npm start` does.
  return {
    file: join(__dirname, 'grep-worker.ts'),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '..', '..', '..', '..', 'tsconfig.base.json') },
  };
}

/** Thread deaths after which the pool stops starting threads. */
const MAX_DEATHS = 3;

/** Where a file's content comes from. */
export interface BlobSource {
  /** The blob's path on this machine, when the store keeps it on local disk. */
  file?: string;
  read(): Promise<Buffer>;
}

interface Pending {
  resolve: (result: GrepContentResult | null) => void;
  reject: (error: Error) => void;
}

/** One verifying thread; answers come back in the order of the tasks. */
class GrepThread {
  readonly pending: Pending[] = [];
  dead = false;
  private readonly worker: Worker;

  constructor(onDead: () => void) {
    const script = workerScript();
    this.worker = new Worker(script.file, { execArgv: script.execArgv, env: script.env });
    this.worker.on('message', (reply: GrepTaskReply) => {
      const next = this.pending.shift();
      if ('result' in reply) next?.resolve(reply.result);
      else if ('missing' in reply) next?.resolve(null);
      else next?.reject(new Error(reply.error));
      if (this.pending.length === 0) this.worker.unref();
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const pending of this.pending.splice(0)) pending.reject(error);
      onDead();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`grep thread exited with code ${code}`)));
    this.worker.unref();
  }

  run(task: GrepTask): Promise<GrepContentResult | null> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      if (this.pending.length === 1) this.worker.ref();
      this.worker.postMessage(task);
    });
  }
}

/**
 * Verifies candidate files on worker threads (one per core), so a grep that
 * reads thousands of files uses every core and leaves the event loop free; the
 * caller keeps the order by awaiting the results in its own order. When
 * threads cannot start, files are verified on the calling thread instead.
 */
export class GrepPool {
  private static instance: GrepPool | null = null;
  private readonly logger = new Logger('GrepPool');
  private threads: GrepThread[] = [];
  private broken = false;
  private deaths = 0;

  private constructor(private readonly size: number) {}

  /** The process's pool, started on first use. */
  static shared(): GrepPool {
    GrepPool.instance ??= new GrepPool(Math.max(1, Math.min(8, availableParallelism())));
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
    const thread = this.pick();
    if (!thread) return inline();
    const task = source.file
      ? { pattern, options, file: source.file }
      : { pattern, options, content: await source.read() };
    // A thread that died took its tasks with it: those files are verified here instead.
    return thread.run(task).catch((error: Error) => {
      if (thread.dead) return inline();
      throw error;
    });
  }

  private pick(): GrepThread | null {
    if (this.broken) return null;
    this.threads = this.threads.filter((thread) => !thread.dead);
    if (this.threads.length < this.size) {
      try {
        this.threads.push(new GrepThread(() => this.died()));
      } catch (error) {
        this.broken = true;
        this.logger.warn(
          `grep threads unavailable, verifying inline: ${error instanceof Error ? error.message : String(error)}`,
        );
        return null;
      }
    }
    return this.threads.reduce((least, thread) =>
      thread.pending.length < least.pending.length ? thread : least,
    );
  }

  /** Threads that keep dying (a missing script, say) are not restarted forever. */
  private died(): void {
    this.deaths += 1;
    if (this.deaths >= MAX_DEATHS && !this.broken) {
      this.broken = true;
      this.logger.error(`grep threads died ${this.deaths} times; verifying inline from now on`);
    }
  }
}
