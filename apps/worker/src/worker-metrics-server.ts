import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server needs from MetricsService (@nexus/core): the rendered registry and its content type. */
export interface MetricsSource {
  render(): Promise<string>;
  readonly contentType: string;
}

export interface WorkerMetricsServerOptions {
  host: string;
  port: number;
  workerId: string;
  /** The worker's registry once its context exists; null while it still connects (then /metrics answers 503). */
  metrics: () => MetricsSource | null;
  /** Errors of the listening server after it started (e.g. out of file descriptors). */
  onError?: (error: Error) => void;
}

export interface WorkerMetricsServer {
  /** The port actually bound (differs from the option only when that was 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Listening failed for a reason the operator fixes in the configuration (port taken, bad host). */
export class MetricsListenError extends Error {}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: WorkerMetricsServerOptions,
): Promise<void> {
  const path = (request.url ?? '/').split('?', 1)[0];
  const readable = request.method === 'GET' || request.method === 'HEAD';
  if (readable && path === '/healthz') {
    // Liveness only: the process answers. Job progress shows in /metrics and GET /api/v1/workers.
    send(
      response,
      200,
      'application/json; charset=utf-8',
      JSON.stringify({ status: 'ok', workerId: options.workerId }),
    );
    return;
  }
  if (readable && path === '/metrics') {
    const metrics = options.metrics();
    if (!metrics) {
      send(
        response,
        503,
        'text/plain; charset=utf-8',
        'worker starting: metrics are served once it has connected\n',
      );
      return;
    }
    try {
      const body = await metrics.render();
      send(response, 200, metrics.contentType, body);
    } catch (error) {
      send(
        response,
        500,
        'text/plain; charset=utf-8',
        `metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    return;
  }
  send(
    response,
    404,
    'application/json; charset=utf-8',
    JSON.stringify({ error: 'not found', paths: ['/metrics', '/healthz'] }),
  );
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): MetricsListenError {
  if (error.code === 'EADDRINUSE') {
    return new MetricsListenError(
      `NEXUS_WORKER_METRICS_PORT: port ${port} on ${host} is already in use (another worker on this machine?); ` +
        'give each worker its own NEXUS_WORKER_METRICS_PORT, or set it to 0 to turn the metrics server off',
    );
  }
  return new MetricsListenError(
    `NEXUS_WORKER_METRICS_HOST / NEXUS_WORKER_METRICS_PORT: cannot listen on ${host}:${port} (${error.code ?? error.message}); ` +
      'set them to a local address and a free port, or NEXUS_WORKER_METRICS_PORT=0 to turn the metrics server off',
  );
}

/**
 * The worker's only HTTP: GET /metrics (its Prometheus registry) and GET /healthz,
 * on plain node:http — a Fastify app for two routes would cost more than it gives.
 */
export async function startWorkerMetricsServer(
  options: WorkerMetricsServerOptions,
): Promise<WorkerMetricsServer> {
  const server: Server = createServer((request, response) => {
    void handle(request, response, options);
  });
  // A scraper's keep-alive connection must not hold the worker open on shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port));
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  server.on('error', (error: Error) => options.onError?.(error));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
