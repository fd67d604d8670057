import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { MetricsService } from '@nexus/core';
import { Counter } from 'prom-client';
import { MetricsListenError, startWorkerMetricsServer } from './worker-metrics-server';
import type { MetricsSource, WorkerMetricsServer } from './worker-metrics-server';

describe('worker metrics server', () => {
  const servers: WorkerMetricsServer[] = [];
  let source: MetricsSource | null = null;

  async function start(port = 0): Promise<{ server: WorkerMetricsServer; base: string }> {
    const server = await startWorkerMetricsServer({
      host: '127.0.0.1',
      port,
      workerId: 'host-1-abcdef01',
      metrics: () => source,
    });
    servers.push(server);
    return { server, base: `http://127.0.0.1:${server.port}` };
  }

  afterEach(async () => {
    source = null;
    for (const server of servers.splice(0)) await server.close();
  });

  it('answers /healthz with 200 and the worker id', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 'ok', workerId: 'host-1-abcdef01' });
  });

  it('serves the registry on /metrics with prom-client’s content type, 503 before it exists', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/metrics`)).status).toBe(503);
    const metrics = new MetricsService();
    new Counter({ name: 'test_things_total', help: 'things', registers: [metrics.registry] }).inc(2);
    source = metrics;
    const response = await fetch(`${base}/metrics?x=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.contentType);
    const body = await response.text();
    expect(body).toContain('test_things_total 2');
    expect(body).toContain('process_cpu_user_seconds_total');
  });

  it('answers 404 for any other path or method', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metricsx`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
  });

  it('fails with an error naming NEXUS_WORKER_METRICS_PORT when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const starting = start(port);
      await expect(starting).rejects.toBeInstanceOf(MetricsListenError);
      await expect(starting).rejects.toThrow(
        new RegExp(`^NEXUS_WORKER_METRICS_PORT: port ${port} on 127.0.0.1 is already in use`),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('closes promptly although a scraper keeps its connection alive', async () => {
    const { server, base } = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const started = Date.now();
    await server.close();
    servers.length = 0;
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
