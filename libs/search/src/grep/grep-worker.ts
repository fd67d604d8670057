import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { grepContent } from './grep-lines';
import type { GrepContentOptions, GrepContentResult } from './grep-lines';
import { compileGrep } from './grep-pattern';
import { serveTasks } from '../util/thread-pool';
import type { ThreadReply } from '../util/thread-pool';
import type { CompiledGrep } from './grep-pattern';

/**
 * One file to verify: its content, or the path of its blob, which the thread
 * reads itself (no copy between threads, no reads on the caller's event loop).
 * The pattern travels as text (a compiled matcher cannot cross threads).
 */
export interface GrepTask {
  pattern: string;
  options: GrepContentOptions;
  content?: Uint8Array;
  file?: string;
}

/** `missing`: the blob file is gone (the file changed meanwhile); the caller skips it. */
export type GrepTaskReply = ThreadReply<GrepContentResult>;

/** Compiled patterns of recent tasks (a search sends one pattern for many files). */
const compiled = new Map<string, CompiledGrep>();
const CACHE_SIZE = 16;

function compiledFor(task: GrepTask): CompiledGrep {
  const key = JSON.stringify([
    task.pattern,
    task.options.ignoreCase,
    task.options.literal,
    task.options.wordRegexp,
  ]);
  let entry = compiled.get(key);
  if (!entry) {
    if (compiled.size >= CACHE_SIZE) compiled.clear();
    entry = compileGrep(task.pattern, task.options);
    compiled.set(key, entry);
  }
  return entry;
}

/** The grep pool's thread (see GrepPool): answers each task in the order received. */
export function verify(task: GrepTask): GrepTaskReply {
  try {
    const content = task.file
      ? readFileSync(task.file)
      : Buffer.from(task.content!.buffer, task.content!.byteOffset, task.content!.byteLength);
    return { result: grepContent(content, compiledFor(task), task.options) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) serveTasks(parentPort, (task: GrepTask) => ({ reply: verify(task) }));
