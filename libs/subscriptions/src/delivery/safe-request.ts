// One webhook POST with SSRF checks at connect time. The host is resolved once,
// every answer is checked, and the socket is opened to the checked address by
// handing http(s).request a lookup function that returns it: a second lookup
// (what a plain request would do) could answer differently (DNS rebinding).
// node:http/https are used instead of fetch because they take that lookup
// function directly and never follow redirects. Sockets are kept alive in one
// pool per checked address, so a reused socket never reaches another address.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import * as http from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { EMPTY_ALLOW_LIST } from './allow-list';
import type { AllowList } from './allow-list';
import { refuseDestination } from './destination';
import { DeliveryNetworkError, DeliveryRefusedError } from './errors';
import { bareHost, validateWebhookUrl } from './webhook-url';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const BODY_SNIPPET_BYTES = 1024;

/** Resolves a host to all its addresses; dns.promises.lookup with { all: true } by default. */
export type ResolveAll = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface PostWebhookOptions {
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
  /** Whole attempt: DNS, connect, TLS, request, and reading the response snippet. */
  readonly timeoutMs?: number;
  readonly allowList?: AllowList;
  readonly allowHttp?: boolean;
  readonly lookup?: ResolveAll;
  /** Extra trust anchors for https (a private CA; tests). Default: Node's bundled roots. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
}

export interface WebhookResponse {
  /** Any status, including 3xx: redirects are not followed, the caller counts them as failures. */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The first BODY_SNIPPET_BYTES of the body, UTF-8 decoded; the rest is never read. */
  readonly bodySnippet: string;
  /** From the call until the snippet was read (includes DNS and connect). */
  readonly latencyMs: number;
  /** The checked address the connection was made to. */
  readonly address: string;
}

const defaultResolve: ResolveAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export async function postWebhook(options: PostWebhookOptions): Promise<WebhookResponse> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const allowList = options.allowList ?? EMPTY_ALLOW_LIST;
  const checked = validateWebhookUrl(options.url, { allowHttp: options.allowHttp, allowList });
  if (!checked.ok) throw new DeliveryRefusedError(checked.rule, checked.message);
  const url = checked.url;
  const host = bareHost(url);

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    const addresses = await resolveOnce(host, options.lookup ?? defaultResolve, deadline.signal, timeoutMs);
    const refusal = refuseDestination(
      host,
      addresses.map((entry) => entry.address),
      allowList,
    );
    if (refusal) {
      throw new DeliveryRefusedError(
        refusal.rule,
        `${host} resolves to ${refusal.address}, which is not allowed (rule: ${refusal.rule})`,
        refusal.address,
      );
    }
    // Every answer passed; the first one (resolver order) is the one we connect to.
    const target = addresses[0] as LookupAddress;
    return await send(url, host, target, options, deadline.signal, timeoutMs, started);
  } finally {
    clearTimeout(timer);
  }
}

async function resolveOnce(
  host: string,
  resolve: ResolveAll,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<readonly LookupAddress[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  let addresses: readonly LookupAddress[];
  try {
    addresses = await raceAbort(resolve(host), signal, () => timeoutError(timeoutMs, 'resolving'));
  } catch (error) {
    if (error instanceof DeliveryNetworkError) throw error;
    throw new DeliveryNetworkError('dns', `cannot resolve ${host}: ${describe(error)}`, errorCode(error), {
      cause: error,
    });
  }
  if (addresses.length === 0) throw new DeliveryNetworkError('dns', `${host} has no addresses`);
  return addresses;
}

// dns.lookup cannot be cancelled; the deadline only stops us waiting for it.
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** A lookup that answers every query with the address already checked (no second DNS query). */
export function pinnedLookup(target: LookupAddress): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    // With autoSelectFamily (the Node 20 default) net asks for all addresses.
    if (lookupOptions.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

function send(
  url: URL,
  host: string,
  target: LookupAddress,
  options: PostWebhookOptions,
  signal: AbortSignal,
  timeoutMs: number,
  started: number,
  pooled = true,
): Promise<WebhookResponse> {
  const isHttps = url.protocol === 'https:';
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    // Host is derived from the URL so a caller cannot aim a checked address at another virtual host.
    if (name.toLowerCase() !== 'host') headers[name] = value;
  }
  headers['host'] = url.host;
  headers['content-length'] = body.byteLength;

  const requestOptions: https.RequestOptions = {
    method: 'POST',
    protocol: url.protocol,
    // The original host name: net calls our lookup with it, TLS verifies the
    // certificate against it, and SNI carries it (an IP literal gets no SNI).
    hostname: host,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    lookup: pinnedLookup(target),
    // Pooled per checked address: a reused socket is connected to the address this attempt just checked.
    agent: pooled && options.ca === undefined ? agentFor(url, host, target) : false,
  };
  if (isHttps) {
    if (isIP(host) === 0) requestOptions.servername = host;
    if (options.ca !== undefined) requestOptions.ca = options.ca as string | Buffer | Array<string | Buffer>;
  }

  return new Promise<WebhookResponse>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      action();
    };
    const request = (isHttps ? https : http).request(requestOptions);
    let response: http.IncomingMessage | undefined;
    const onAbort = (): void => {
      settle(() =>
        reject(timeoutError(timeoutMs, response ? 'reading the response' : 'waiting for a response')),
      );
      response?.destroy();
      request.destroy();
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    request.on('error', (error) => {
      // A pooled socket the receiver closed while idle: the request never reached it, so go again on a new one.
      if (!response && request.reusedSocket && isStaleSocketError(error) && !signal.aborted && !settled) {
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(send(url, host, target, options, signal, timeoutMs, started, false));
        return;
      }
      settle(() => reject(networkError(error, host, target.address)));
    });
    request.on('response', (res) => {
      response = res;
      const chunks: Buffer[] = [];
      let size = 0;
      const complete = (): void =>
        settle(() =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bodySnippet: Buffer.concat(chunks).subarray(0, BODY_SNIPPET_BYTES).toString('utf8'),
            latencyMs: performance.now() - started,
            address: target.address,
          }),
        );
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size >= BODY_SNIPPET_BYTES) {
          // Enough to show the subscriber; the rest is not read at all.
          complete();
          res.destroy();
          request.destroy();
        }
      });
      res.on('end', complete);
      res.on('error', (error) => settle(() => reject(networkError(error, host, target.address))));
      res.on('close', () =>
        settle(() =>
          reject(
            new DeliveryNetworkError('connection', `${host} closed the connection before the response ended`),
          ),
        ),
      );
    });
    request.end(body);
  });
}

// Keep-alive pools, one per (scheme, host, port, checked address); the oldest goes when there are too many.
const MAX_POOLS = 256;
// Below the 5 s idle limit of common servers (Node's default), so we rarely reuse a socket they are closing.
const IDLE_SOCKET_MS = 4_000;
const pools = new Map<string, http.Agent>();

function agentFor(url: URL, host: string, target: LookupAddress): http.Agent {
  const key = `${url.protocol}//${host}:${url.port}@${target.address}`;
  let agent = pools.get(key);
  if (agent) return agent;
  const settings = { keepAlive: true, maxSockets: 64, maxFreeSockets: 64, timeout: IDLE_SOCKET_MS };
  agent = url.protocol === 'https:' ? new https.Agent(settings) : new http.Agent(settings);
  if (pools.size >= MAX_POOLS) {
    const [oldestKey, oldest] = pools.entries().next().value as [string, http.Agent];
    pools.delete(oldestKey);
    oldest.destroy();
  }
  pools.set(key, agent);
  return agent;
}

function isStaleSocketError(error: Error): boolean {
  const code = errorCode(error);
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function timeoutError(timeoutMs: number, phase: string): DeliveryNetworkError {
  return new DeliveryNetworkError('timeout', `no complete response within ${timeoutMs} ms (while ${phase})`);
}

const TLS_CODES = new Set([
  'EPROTO',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'HOSTNAME_MISMATCH',
]);

function networkError(error: Error, host: string, address: string): DeliveryNetworkError {
  const code = errorCode(error);
  const tls = code !== undefined && (TLS_CODES.has(code) || /^ERR_(TLS|SSL)_|CERT/.test(code));
  return new DeliveryNetworkError(
    tls ? 'tls' : 'connection',
    `${tls ? 'TLS' : 'connection'} error for ${host} (${address}): ${error.message}`,
    code,
    { cause: error },
  );
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
