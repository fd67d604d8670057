import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../util/thread-pool';
import type { ThreadReply } from '../util/thread-pool';
import { analysisBuffers, analyzeContent } from './content-analysis';
import type { ContentAnalysis } from './content-analysis';

/** One file to analyse: the path of its blob, which the thread reads itself, or its content. */
export interface AnalysisTask {
  file?: string;
  content?: Uint8Array;
}

/** `binary`: a NUL byte (indexed by name only). */
export type AnalysisResult = ContentAnalysis | { binary: true };

/** The analysis pool's thread (see AnalysisPool): answers each task in the order received. */
export function analyzeTask(task: AnalysisTask): {
  reply: ThreadReply<AnalysisResult>;
  transfer?: ArrayBuffer[];
} {
  try {
    const content = task.file
      ? readFileSync(task.file)
      : Buffer.from(task.content!.buffer, task.content!.byteOffset, task.content!.byteLength);
    const analysis = analyzeContent(content);
    if (!analysis) return { reply: { result: { binary: true } } };
    return { reply: { result: analysis }, transfer: analysisBuffers(analysis) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { reply: { missing: true } };
    return { reply: { error: error instanceof Error ? error.message : String(error) } };
  }
}

if (parentPort) serveTasks(parentPort, analyzeTask);
