import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  let metrics: MetricsService;

  beforeEach(() => {
    metrics = new MetricsService();
  });

  it('counts a request by method, route and status', async () => {
    metrics.observeHttpRequest('GET', '/x', 200, 0.042);

    const text = await metrics.render();

    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('http_requests_total{method="GET",route="/x",status="200"} 1\n');
  });

  it('records the duration in the histogram buckets', async () => {
    metrics.observeHttpRequest('GET', '/x', 200, 0.042);

    const text = await metrics.render();

    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.025",method="GET",route="/x",status="200"} 0\n',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.05",method="GET",route="/x",status="200"} 1\n',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/x",status="200"} 1\n',
    );
    expect(text).toContain('http_request_duration_seconds_sum{method="GET",route="/x",status="200"} 0.042\n');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/x",status="200"} 1\n');
  });

  it('keeps label sets apart and adds up repeated requests', async () => {
    metrics.observeHttpRequest('GET', '/files/:id', 200, 0.01);
    metrics.observeHttpRequest('GET', '/files/:id', 200, 0.02);
    metrics.observeHttpRequest('GET', '/files/:id', 404, 0.003);
    metrics.observeHttpRequest('POST', '/files', 201, 0.3);

    const text = await metrics.render();

    expect(text).toContain('http_requests_total{method="GET",route="/files/:id",status="200"} 2\n');
    expect(text).toContain('http_requests_total{method="GET",route="/files/:id",status="404"} 1\n');
    expect(text).toContain('http_requests_total{method="POST",route="/files",status="201"} 1\n');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/files/:id",status="200"} 2\n',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.25",method="POST",route="/files",status="201"} 0\n',
    );
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.5",method="POST",route="/files",status="201"} 1\n',
    );
  });

  it('includes the default process metrics', async () => {
    const text = await metrics.render();

    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_total_bytes');
  });

  it('has no HTTP samples before the first request', async () => {
    expect(await metrics.render()).not.toMatch(/^http_requests_total\{/m);
  });

  it('keeps each instance in its own registry', async () => {
    const other = new MetricsService();

    metrics.observeHttpRequest('GET', '/only-here', 200, 0.001);

    expect(other.registry).not.toBe(metrics.registry);
    expect(await other.render()).not.toContain('/only-here');
  });

  it('answers in the Prometheus text format', () => {
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
