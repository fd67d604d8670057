import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@nexus/core/testing';
import type { WorkerCommandInput, WorkerOptions, WorkerReply } from './kv-worker.protocol';

/** A running testing/kv-worker.ts process: send it commands, await their results. */
export class KvWorker {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly progressListeners = new Set<(progress: number) => void>();
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on(
      'data',
      (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8_000)),
    );
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-8_000)),
    );
    child.on('message', (reply: WorkerReply) => {
      if (reply.progress !== undefined)
        for (const listener of this.progressListeners) listener(reply.progress);
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiting.reject(new Error(`worker ${child.pid}: ${reply.error}`));
      else waiting.resolve(reply.result);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        for (const waiting of this.pending.values())
          waiting.reject(new Error(`worker ${child.pid} exited (${code}):\n${this.output}`));
        this.pending.clear();
        resolve(code);
      });
    });
  }

  /** Forks a worker (TypeScript through @swc-node/register) and waits until its store is open. */
  static async start(options: WorkerOptions, startTimeoutMs = 30_000): Promise<KvWorker> {
    const child = fork(join(__dirname, 'kv-worker.ts'), [JSON.stringify(options)], {
      cwd: WORKSPACE_ROOT,
      execArgv: ['-r', '@swc-node/register'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const worker = new KvWorker(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker did not start:\n${worker.output}`)),
        startTimeoutMs,
      );
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`worker exited during start:\n${worker.output}`));
      });
      child.on('message', (reply: WorkerReply) => {
        if (reply.ready) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return worker;
  }

  run<T>(command: WorkerCommandInput): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ ...command, id });
    });
  }

  onProgress(listener: (progress: number) => void): void {
    this.progressListeners.add(listener);
  }

  /** Disconnects (the worker closes its store and exits); kills it if it has not gone within 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
