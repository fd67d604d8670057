import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got. */
export interface ReceivedWebhook {
  /** The route: the path after `/hook/`. */
  route: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** Which of the route's secrets verified it with the `standardwebhooks` library (empty: none did). */
  verifiedWith: string[];
}

/** What a route answers: a status and headers, optionally after a delay. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type Responder = (request: ReceivedWebhook, nth: number) => Answer;

/**
 * A local receiver for tests and the benchmark: `/hook/<route>` verifies every
 * request with the reference Standard Webhooks library against the route's
 * secrets and answers as the route's responder says (default 204).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly responders = new Map<string, Responder>();
  private readonly secrets = new Map<string, string[]>();
  private readonly byRoute = new Map<string, ReceivedWebhook[]>();
  private readonly listeners = new Set<(request: ReceivedWebhook) => void>();
  private server: Server | null = null;
  private readonly held = new Set<NodeJS.Timeout>();
  /** Verification can be switched off (the benchmark measures delivery, not our receiver's HMAC). */
  verify = true;

  /** Starts listening on 127.0.0.1 and a free port. */
  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const route = (request.url ?? '').replace(/^\/hook\//, '').split('?')[0] ?? '';
        const body = Buffer.concat(chunks).toString('utf8');
        const received: ReceivedWebhook = {
          route,
          headers: request.headers,
          body,
          at: Date.now(),
          verifiedWith: this.verify ? this.verifiedWith(route, body, request.headers) : [],
        };
        const routeRequests = this.byRoute.get(route) ?? [];
        routeRequests.push(received);
        this.byRoute.set(route, routeRequests);
        const nth = routeRequests.length;
        this.received.push(received);
        for (const listener of this.listeners) listener(received);
        const responder: Responder = this.responders.get(route) ?? (() => ({ status: 204 }));
        const answer = responder(received, nth);
        const reply = () => {
          response.writeHead(answer.status, answer.headers ?? {});
          response.end();
        };
        if (answer.delayMs) {
          const timer = setTimeout(() => {
            this.held.delete(timer);
            reply();
          }, answer.delayMs);
          this.held.add(timer);
        } else reply();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  url(route: string): string {
    return `http://127.0.0.1:${this.port}/hook/${route}`;
  }

  /** Secrets a route's requests are verified against (newest last). */
  addSecret(route: string, secret: string): void {
    this.secrets.set(route, [...(this.secrets.get(route) ?? []), secret]);
  }

  answer(route: string, responder: Responder): void {
    this.responders.set(route, responder);
  }

  /** The route's requests in arrival order (a copy). */
  for(route: string): ReceivedWebhook[] {
    return [...(this.byRoute.get(route) ?? [])];
  }

  count(route: string): number {
    return this.byRoute.get(route)?.length ?? 0;
  }

  /** Resolves once `count` requests of `route` arrived (or rejects after `timeoutMs`). */
  async waitFor(route: string, count: number, timeoutMs = 20_000): Promise<ReceivedWebhook[]> {
    if (this.count(route) >= count) return this.for(route);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`receiver: ${this.count(route)} of ${count} requests on ${route} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (): void => {
        if (this.count(route) < count) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(this.for(route));
      };
      this.listeners.add(listener);
    });
  }

  /** Calls `listener` for every request from now on; returns the unsubscribe. */
  onRequest(listener: (request: ReceivedWebhook) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private verifiedWith(route: string, body: string, headers: IncomingHttpHeaders): string[] {
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string') flat[name] = value;
    }
    return (this.secrets.get(route) ?? []).filter((secret) => {
      try {
        new Webhook(secret).verify(body, flat);
        return true;
      } catch {
        return false;
      }
    });
  }
}
