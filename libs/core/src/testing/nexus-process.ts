import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Repository root, from this file's place in libs/core/src/testing. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

/** How long an exited process's output may still be arriving through its pipes. */
const OUTPUT_AFTER_EXIT_MS = 2_000;

/** A Nexus process (API, worker, launcher) started from source for a test, with its output captured. */
export interface NexusProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output (stdout + stderr). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or 128 + signal number style null → -1). */
  exited(timeoutMs?: number): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Runs `node [-r @swc-node/register] <script> [args…]` from the repository root with the
 * given environment added to a minimal one (PATH, HOME), so the test's own
 * environment does not leak into the process under test.
 */
export function startNexusProcess(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
  /** Options for node itself (`--cpu-prof` for a benchmark's profile). */
  nodeArgs: readonly string[] = [],
): NexusProcess {
  const typescript = script.endsWith('.ts');
  const child = spawn(process.execPath, [...nodeArgs, ...(typescript ? ['-r', '@swc-node/register'] : []), script, ...args], {
    cwd: WORKSPACE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // 'exit' can come before the last output has been read from the pipes (a busy
  // machine): resolve once they are closed too ('close'), or shortly after the exit
  // when a grandchild still holds them open.
  const exitPromise = new Promise<number>((resolve) => {
    let closed = false;
    child.once('close', () => (closed = true));
    child.once('exit', (code) => {
      const done = () => resolve(code ?? -1);
      if (closed) return done();
      const fallback = setTimeout(done, OUTPUT_AFTER_EXIT_MS);
      child.once('close', () => {
        clearTimeout(fallback);
        done();
      });
    });
  });

  const withTimeout = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Output:\n${output}`)), timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };

  return {
    child,
    output: () => output,
    waitForOutput(pattern, timeoutMs = 60_000) {
      const found = new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            resolve(match);
          } else if (child.exitCode !== null) {
            listeners.delete(check);
            reject(new Error(`Process exited (${child.exitCode}) before printing ${pattern}. Output:\n${output}`));
          }
        };
        listeners.add(check);
        child.once('exit', check);
        check();
      });
      return withTimeout(found, timeoutMs, String(pattern));
    },
    exited(timeoutMs = 30_000) {
      return withTimeout(exitPromise, timeoutMs, 'exit');
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return withTimeout(exitPromise, 30_000, 'exit after stop');
    },
  };
}
