import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface LoadOptions {
  headers?: Record<string, string>;
  method?: string;
  body?: string;
  /** The body of each next request, when they differ (overrides `body`). */
  nextBody?: () => string;
  /** Requests in flight at once. */
  concurrency: number;
  durationMs: number;
  /** Status that counts as success (default 200). */
  expectStatus?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Closed-loop HTTP load: `concurrency` keep-alive clients, each sending its next request when the last answers. */
export async function runHttpLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + options.durationMs;
  const once = () =>
    new Promise<void>((resolve) => {
      const body = options.nextBody ? options.nextBody() : options.body;
      const started = process.hrtime.bigint();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: options.method ?? 'GET',
          headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === (options.expectStatus ?? 200)) {
              latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            } else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < deadline) await once();
    }),
  );
  const elapsedSeconds = (Date.now() - startedAt) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Resolves once `base`/healthz answers 200 (the API is listening), or fails after 60 s. */
export async function waitForHealth(base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${base}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the API did not answer /healthz within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
