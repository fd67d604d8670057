import { Injectable } from '@nestjs/common';
import type { JobContext, JobHandlerContract, JobOutcome } from '../registry/job-handler';
import { JobHandler } from '../registry/job-handler';
import { NOOP_JOB } from './system-job-types';
import type { NoopPayload } from './system-job-types';

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

/** Does nothing (optionally sleeps or fails the first attempts): a probe of the whole pipeline. */
@Injectable()
@JobHandler(NOOP_JOB)
export class NoopJobHandler implements JobHandlerContract<NoopPayload> {
  async handle(payload: NoopPayload, context: JobContext): Promise<JobOutcome> {
    if (payload.sleepMs) await pause(payload.sleepMs, context.signal);
    if (payload.failTimes !== undefined && context.attempt <= payload.failTimes) {
      return { status: 'failed', error: `noop failing on purpose (attempt ${context.attempt} of ${payload.failTimes})` };
    }
    return { status: 'succeeded', result: { echo: payload.echo ?? null, attempt: context.attempt } };
  }
}
