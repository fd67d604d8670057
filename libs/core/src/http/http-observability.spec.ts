import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { RequestContext } from '../context/request-context';
import { MetricsService } from '../observability/metrics.service';
import { installHttpObservability } from './http-observability';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown>;

describe('installHttpObservability', () => {
  let app: FastifyInstance;
  let metrics: MetricsService;
  let accessLines: LogLine[];

  beforeEach(async () => {
    accessLines = [];
    const accessLog = pino(
      { base: undefined, timestamp: false },
      { write: (line: string) => accessLines.push(JSON.parse(line) as LogLine) },
    );
    metrics = new MetricsService();
    app = Fastify({ genReqId: (request) => requestIdFor(request) });
    installHttpObservability(app, accessLog, metrics);
    app.get('/files/:id', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { requestId: RequestContext.requestId() ?? null };
    });
    app.post('/fail', async () => {
      throw Object.assign(new Error('nope'), { statusCode: 409 });
    });
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
  });

  it('echoes the request id and makes it the request context of the handler', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/files/42',
      headers: { [REQUEST_ID_HEADER]: 'abc-123' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers[REQUEST_ID_HEADER]).toBe('abc-123');
    expect(response.json()).toEqual({ requestId: 'abc-123' });
  });

  it('echoes a generated id when the caller’s is unacceptable', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/files/42',
      headers: { [REQUEST_ID_HEADER]: 'bad id!' },
    });

    const echoed = response.headers[REQUEST_ID_HEADER];
    expect(echoed).toMatch(UUID);
    expect(response.json()).toEqual({ requestId: echoed });
  });

  it('keeps the ids of concurrent requests apart', async () => {
    const responses = await Promise.all(
      ['r-1', 'r-2', 'r-3', 'r-4'].map((id) =>
        app.inject({ method: 'GET', url: `/files/${id}`, headers: { [REQUEST_ID_HEADER]: id } }),
      ),
    );

    expect(responses.map((response) => response.json<{ requestId: string }>().requestId)).toEqual([
      'r-1',
      'r-2',
      'r-3',
      'r-4',
    ]);
  });

  it('writes one access-log line labelled by route template', async () => {
    await app.inject({ method: 'GET', url: '/files/42?x=1', headers: { [REQUEST_ID_HEADER]: 'req-log' } });

    expect(accessLines).toHaveLength(1);
    const line = accessLines[0]!;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      requestId: 'req-log',
      method: 'GET',
      route: '/files/:id',
      url: '/files/42?x=1',
      status: 200,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
  });

  it('counts requests by route template and status, not by raw URL', async () => {
    await app.inject({ method: 'GET', url: '/files/1' });
    await app.inject({ method: 'GET', url: '/files/2' });
    await app.inject({ method: 'POST', url: '/fail' });

    const text = await metrics.render();

    expect(text).toContain('http_requests_total{method="GET",route="/files/:id",status="200"} 2\n');
    expect(text).toContain('http_requests_total{method="POST",route="/fail",status="409"} 1\n');
    expect(text).not.toContain('/files/1');
  });

  it('labels requests that match no route as unmatched', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/thing/123' });

    expect(response.statusCode).toBe(404);
    expect(await metrics.render()).toContain(
      'http_requests_total{method="GET",route="unmatched",status="404"} 1\n',
    );
    expect(accessLines[0]).toMatchObject({ route: 'unmatched', url: '/no/such/thing/123', status: 404 });
  });
});
