import type { LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { parseAllowList } from './allow-list';
import { DeliveryNetworkError, DeliveryRefusedError } from './errors';
import { BODY_SNIPPET_BYTES, postWebhook } from './safe-request';
import type { ResolveAll } from './safe-request';

// Self-signed certificate for "hooks.test", valid 2000-2100 (so the test does not depend on the clock).
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrbyBF9/4b6aY5jjM
LnHgpvW8n1lrIFpRk0vze0yNelKhRANCAASaXPKk9cGgDT4odsltXPRyj/aMvzm+
VL9i1ClnhMBImDVhynLBUEY3QseZVVEaTdTFZx+dq9iSNbjuG8owVeGx
-----END PRIVATE KEY-----
`;
const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBZDCCAQqgAwIBAgIBATAKBggqhkjOPQQDAjAVMRMwEQYDVQQDDApob29rcy50
ZXN0MCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAVMRMwEQYDVQQD
DApob29rcy50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEmlzypPXBoA0+
KHbJbVz0co/2jL85vlS/YtQpZ4TASJg1YcpywVBGN0LHmVVRGk3UxWcfnavYkjW4
7hvKMFXhsaNJMEcwFQYDVR0RBA4wDIIKaG9va3MudGVzdDAPBgNVHRMBAf8EBTAD
AQH/MB0GA1UdDgQWBBQtmltkHDxHJjg/VTpbGYi+oP+fJzAKBggqhkjOPQQDAgNI
ADBFAiEAvYjHg+ENzcVIK0RlG+C/XmOo9OZI0foSmVVT2O8YjKwCIGm3ScUho2dE
QFC3dZorwl4463IvlLh7KdKy+NZEEmpx
-----END CERTIFICATE-----
`;

interface Received {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  localAddress?: string;
  servername?: string | false;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const servers: http.Server[] = [];

async function startServer(
  handler: Handler,
  host = '127.0.0.1',
  tls = false,
): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        localAddress: req.socket.localAddress,
        servername: (req.socket as { servername?: string | false }).servername,
      });
      handler(req, res);
    });
  };
  const server = tls
    ? https.createServer({ key: TLS_KEY, cert: TLS_CERT }, listener)
    : http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, received };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** An injected resolver answering `answers[n]` to the n-th call (the last one repeats), counting calls. */
function fakeDns(...answers: string[][]): ResolveAll & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const answer = answers[Math.min(calls.length, answers.length - 1)] ?? [];
    calls.push(hostname);
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

const ok: Handler = (_req, res) => res.writeHead(204).end();

async function refusal(promise: Promise<unknown>): Promise<DeliveryRefusedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryRefusedError);
  return error as DeliveryRefusedError;
}

async function networkFailure(promise: Promise<unknown>): Promise<DeliveryNetworkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryNetworkError);
  return error as DeliveryNetworkError;
}

describe('postWebhook', () => {
  it('refuses a host name that resolves to loopback, without connecting', async () => {
    const { port, received } = await startServer(ok);
    const lookup = fakeDns(['127.0.0.1']);
    const error = await refusal(
      postWebhook({ url: `http://hooks.test:${port}/in`, body: '{}', allowHttp: true, lookup }),
    );
    expect(error.rule).toBe('loopback');
    expect(error.address).toBe('127.0.0.1');
    expect(error.message).toContain('rule: loopback');
    expect(lookup.calls).toEqual(['hooks.test']);
    expect(received).toHaveLength(0);
  });

  it('refuses when any resolved address is forbidden', async () => {
    const lookup = fakeDns(['8.8.8.8', '169.254.169.254']);
    const error = await refusal(postWebhook({ url: 'https://hooks.test/', body: '{}', lookup }));
    expect(error.rule).toBe('metadata');
  });

  it('refuses an IPv4-mapped loopback answer', async () => {
    const lookup = fakeDns(['::ffff:127.0.0.1']);
    expect((await refusal(postWebhook({ url: 'https://hooks.test/', body: '{}', lookup }))).rule).toBe(
      'loopback',
    );
  });

  it.each([
    ['http://127.0.0.1:9/', 'loopback'],
    ['http://[::1]:9/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://169.254.169.254/', 'metadata'],
    ['http://0x7f.1:9/', 'loopback'],
    ['http://[::ffff:127.0.0.1]:9/', 'loopback'],
  ])('refuses the literal %s without a lookup', async (url, rule) => {
    const lookup = fakeDns(['8.8.8.8']);
    expect((await refusal(postWebhook({ url, body: '{}', allowHttp: true, lookup }))).rule).toBe(rule);
    expect(lookup.calls).toHaveLength(0);
  });

  it('refuses http:// unless allowed, and user info', async () => {
    const lookup = fakeDns(['8.8.8.8']);
    expect((await refusal(postWebhook({ url: 'http://hooks.test/', body: '', lookup }))).rule).toBe('scheme');
    expect((await refusal(postWebhook({ url: 'https://a:b@hooks.test/', body: '', lookup }))).rule).toBe(
      'userinfo',
    );
    expect(lookup.calls).toHaveLength(0);
  });

  it('posts to an allow-listed host and returns the status, keeping the Host header', async () => {
    const { port, received } = await startServer((_req, res) =>
      res.writeHead(202, { 'x-receiver': 'yes' }).end('accepted'),
    );
    const lookup = fakeDns(['127.0.0.1']);
    const response = await postWebhook({
      url: `http://Hooks.Test:${port}/in?x=1#fragment`,
      headers: { 'content-type': 'application/json', 'x-nexus-signature': 'sig', host: 'evil.test' },
      body: '{"a":1}',
      allowHttp: true,
      allowList: parseAllowList('hooks.test'),
      lookup,
    });
    expect(response).toMatchObject({ status: 202, bodySnippet: 'accepted', address: '127.0.0.1' });
    expect(response.headers['x-receiver']).toBe('yes');
    expect(response.latencyMs).toBeGreaterThan(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/in?x=1', body: '{"a":1}' });
    expect(received[0]?.headers).toMatchObject({
      host: `hooks.test:${port}`,
      'content-type': 'application/json',
      'content-length': '7',
      'x-nexus-signature': 'sig',
    });
  });

  it('posts when the resolved address is allow-listed by CIDR', async () => {
    const { port, received } = await startServer(ok);
    const response = await postWebhook({
      url: `http://hooks.test:${port}/`,
      body: Buffer.from('x'),
      allowHttp: true,
      allowList: parseAllowList('127.0.0.0/8'),
      lookup: fakeDns(['127.0.0.1']),
    });
    expect(response.status).toBe(204);
    expect(received).toHaveLength(1);
  });

  it('resolves once and connects to the checked address (DNS rebinding)', async () => {
    // 127.0.0.2 stands in for a public address (allow-listed); a second lookup would answer 127.0.0.1.
    const { port, received } = await startServer(ok, '127.0.0.2');
    const lookup = fakeDns(['127.0.0.2'], ['127.0.0.1']);
    const response = await postWebhook({
      url: `http://rebind.test:${port}/`,
      body: '{}',
      allowHttp: true,
      allowList: parseAllowList('127.0.0.2/32'),
      lookup,
    });
    expect(response).toMatchObject({ status: 204, address: '127.0.0.2' });
    expect(lookup.calls).toEqual(['rebind.test']);
    expect(received[0]?.localAddress).toBe('127.0.0.2');
    expect(received[0]?.headers.host).toBe(`rebind.test:${port}`);
  });

  it('returns a redirect as its 3xx status without following it', async () => {
    const target = await startServer(ok);
    const { port, received } = await startServer((_req, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end(),
    );
    const response = await postWebhook({
      url: `http://hooks.test:${port}/`,
      body: '{}',
      allowHttp: true,
      allowList: parseAllowList('127.0.0.0/8'),
      lookup: fakeDns(['127.0.0.1']),
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`http://127.0.0.1:${target.port}/elsewhere`);
    expect(received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('times out on a server that never answers', async () => {
    const { port } = await startServer(() => undefined);
    const started = Date.now();
    const error = await networkFailure(
      postWebhook({
        url: `http://hooks.test:${port}/`,
        body: '{}',
        timeoutMs: 200,
        allowHttp: true,
        allowList: parseAllowList('hooks.test'),
        lookup: fakeDns(['127.0.0.1']),
      }),
    );
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('times out on a body that trickles in too slowly', async () => {
    const { port } = await startServer((_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    const error = await networkFailure(
      postWebhook({
        url: `http://hooks.test:${port}/`,
        body: '{}',
        timeoutMs: 200,
        allowHttp: true,
        allowList: parseAllowList('hooks.test'),
        lookup: fakeDns(['127.0.0.1']),
      }),
    );
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('reading the response');
  });

  it('times out while resolving', async () => {
    const lookup: ResolveAll = () => new Promise<LookupAddress[]>(() => undefined);
    const error = await networkFailure(
      postWebhook({ url: 'https://hooks.test/', body: '', timeoutMs: 100, lookup }),
    );
    expect(error.reason).toBe('timeout');
  });

  it('reads only the first KiB of a large body', async () => {
    const { port } = await startServer((_req, res) => {
      res.writeHead(500);
      res.end('e'.repeat(4 * 1024 * 1024));
    });
    const response = await postWebhook({
      url: `http://hooks.test:${port}/`,
      body: '{}',
      allowHttp: true,
      allowList: parseAllowList('hooks.test'),
      lookup: fakeDns(['127.0.0.1']),
    });
    expect(response.status).toBe(500);
    expect(response.bodySnippet).toBe('e'.repeat(BODY_SNIPPET_BYTES));
  });

  it('reports DNS failures and refused connections as network errors', async () => {
    const failing: ResolveAll = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }));
    const dns = await networkFailure(
      postWebhook({ url: 'https://nowhere.test/', body: '', lookup: failing }),
    );
    expect(dns).toMatchObject({ reason: 'dns', code: 'ENOTFOUND' });
    expect(
      (await networkFailure(postWebhook({ url: 'https://nowhere.test/', body: '', lookup: fakeDns([]) })))
        .reason,
    ).toBe('dns');

    const { port } = await startServer(ok);
    servers.pop()?.close(); // nothing listens on the port any more
    const refused = await networkFailure(
      postWebhook({
        url: `http://hooks.test:${port}/`,
        body: '',
        allowHttp: true,
        allowList: parseAllowList('hooks.test'),
        lookup: fakeDns(['127.0.0.1']),
      }),
    );
    expect(refused).toMatchObject({ reason: 'connection', code: 'ECONNREFUSED' });
  });

  it('keeps SNI and certificate checks on the original host name over https', async () => {
    const { port, received } = await startServer(ok, '127.0.0.1', true);
    const common = { body: '{}', ca: TLS_CERT, allowList: parseAllowList('127.0.0.0/8') };
    const response = await postWebhook({
      ...common,
      url: `https://hooks.test:${port}/`,
      lookup: fakeDns(['127.0.0.1']),
    });
    expect(response.status).toBe(204);
    expect(received[0]?.servername).toBe('hooks.test');

    // The same address under another name fails verification: the certificate is checked against the URL host.
    const mismatch = await networkFailure(
      postWebhook({ ...common, url: `https://other.test:${port}/`, lookup: fakeDns(['127.0.0.1']) }),
    );
    expect(mismatch).toMatchObject({ reason: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });

    // Without the test CA the self-signed certificate is not trusted.
    const untrusted = await networkFailure(
      postWebhook({
        ...common,
        ca: undefined,
        url: `https://hooks.test:${port}/`,
        lookup: fakeDns(['127.0.0.1']),
      }),
    );
    expect(untrusted.reason).toBe('tls');
  });
});
