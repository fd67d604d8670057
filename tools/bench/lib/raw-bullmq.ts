import { Queue, Worker } from 'bullmq';

/**
 * Raw BullMQ no-op throughput, the baseline for the job system: a plain Queue
 * (addBulk in chunks of 1000) and `workers` Workers of `concurrency` each, on the
 * same Redis. Returns jobs/s from the first add to the last completion.
 */
export async function rawBullmqJobsPerSecond(redisUrl: string, queueName: string, jobs: number, workers: number, concurrency: number): Promise<number> {
  const connection = { url: redisUrl };
  const queue = new Queue(queueName, { connection });
  let completed = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const consumers = Array.from({ length: workers }, () => {
    const worker = new Worker(queueName, async () => undefined, { connection, concurrency, autorun: false });
    worker.on('completed', () => {
      completed += 1;
      if (completed === jobs) resolveDone();
    });
    return worker;
  });
  try {
    await Promise.all(consumers.map((worker) => worker.waitUntilReady()));
    const started = Date.now();
    for (const worker of consumers) void worker.run();
    for (let offset = 0; offset < jobs; offset += 1000) {
      const size = Math.min(1000, jobs - offset);
      await queue.addBulk(Array.from({ length: size }, (_, i) => ({ name: 'run', data: { n: offset + i }, opts: { removeOnComplete: true, removeOnFail: true } })));
    }
    await done;
    return jobs / ((Date.now() - started) / 1000);
  } finally {
    await Promise.all(consumers.map((worker) => worker.close()));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
