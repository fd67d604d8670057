import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';

/** What a pool's thread answers per task; `missing`: the file it was to read is gone. */
export type ThreadReply<R> = { result: R } | { missing: true } | { error: string };

/** Thread deaths after which a pool stops starting threads. */
const MAX_DEATHS = 3;

/**
 * How a thread's script is found: beside the bundle (dist/nexus/<name>.js, where
 * every module's __dirname is), else the TypeScript source in `sourceDir`.
 */
function workerScript(
  name: string,
  sourceDir: string,
): { file: string; execArgv: string[]; env: NodeJS.ProcessEnv } {
  const bundled = join(sourceDir, `${name}.js`);
  if (existsSync(bundled)) return { file: bundled, execArgv: [], env: process.env };
  // Sources (development, tests): the thread compiles its few modules with swc, as `npm start` does.
  return {
    file: join(sourceDir, `${name}.ts`),
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '..', '..', '..', '..', 'tsconfig.base.json') },
  };
}

interface Pending<R> {
  resolve: (result: R | null) => void;
  reject: (error: Error) => void;
}

/** One thread; answers come back in the order of the tasks. */
class PoolThread<T, R> {
  readonly pending: Array<Pending<R>> = [];
  dead = false;
  private readonly worker: Worker;

  constructor(name: string, sourceDir: string, onDead: () => void) {
    const script = workerScript(name, sourceDir);
    this.worker = new Worker(script.file, { execArgv: script.execArgv, env: script.env });
    this.worker.on('message', (reply: ThreadReply<R>) => {
      const next = this.pending.shift();
      if ('result' in reply) next?.resolve(reply.result);
      else if ('missing' in reply) next?.resolve(null);
      else next?.reject(new Error(reply.error));
      // An idle thread must not keep the process alive.
      if (this.pending.length === 0) this.worker.unref();
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const pending of this.pending.splice(0)) pending.reject(error);
      onDead();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`${name} thread exited with code ${code}`)));
    this.worker.unref();
  }

  run(task: T, transfer: readonly TransferListItem[]): Promise<R | null> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      if (this.pending.length === 1) this.worker.ref();
      this.worker.postMessage(task, [...transfer]);
    });
  }
}

/**
 * CPU-bound work on worker threads, so it uses every core and leaves the event
 * loop free; each task goes to the least busy thread. When threads cannot
 * start, or keep dying, tasks run on the calling thread instead (`inline`),
 * and a task whose thread died is run there too.
 */
export class ThreadPool<T, R> {
  private readonly logger: Logger;
  private threads: Array<PoolThread<T, R>> = [];
  private broken = false;
  private deaths = 0;

  /** `name`: the worker script's file name without extension, in `sourceDir`. */
  constructor(
    private readonly name: string,
    private readonly sourceDir: string,
    private readonly size: number,
  ) {
    this.logger = new Logger(`ThreadPool:${name}`);
  }

  /** The result of `task` on a thread (null: its file is gone), or of `inline` when no thread can take it. */
  async run(
    task: T,
    inline: () => Promise<R | null>,
    transfer: readonly TransferListItem[] = [],
  ): Promise<R | null> {
    const thread = this.pick();
    if (!thread) return inline();
    return thread.run(task, transfer).catch((error: Error) => {
      if (thread.dead) return inline();
      throw error;
    });
  }

  private pick(): PoolThread<T, R> | null {
    if (this.broken) return null;
    this.threads = this.threads.filter((thread) => !thread.dead);
    if (this.threads.length < this.size) {
      try {
        this.threads.push(new PoolThread<T, R>(this.name, this.sourceDir, () => this.died()));
      } catch (error) {
        this.broken = true;
        this.logger.warn(
          `threads unavailable, working inline: ${error instanceof Error ? error.message : String(error)}`,
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
      this.logger.error(`threads died ${this.deaths} times; working inline from now on`);
    }
  }
}

/** Answers a pool's tasks on this thread (the worker script's one line). */
export function serveTasks<T, R>(
  port: {
    on(event: 'message', listener: (task: T) => void): unknown;
    postMessage(reply: unknown, transfer?: readonly TransferListItem[]): void;
  },
  handle: (task: T) => { reply: ThreadReply<R>; transfer?: readonly TransferListItem[] },
): void {
  port.on('message', (task) => {
    const { reply, transfer } = handle(task);
    port.postMessage(reply, transfer);
  });
}
