import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { EventSource } from 'eventsource';

/** SSE clients for the events e2e tests: the real `eventsource` package, and a raw socket that can stop reading. */

export interface ReceivedEvent {
  type: string;
  id: string;
  data: { id: string; cursor: string; type: string; path: string | null; fromPath: string | null };
}

export interface StreamClient {
  events: ReceivedEvent[];
  /** Resolves once the response headers arrived (the stream's start position is fixed by then). */
  opened: Promise<void>;
  /** Resolves with the first received event that satisfies `predicate` (waiting for it if need be). */
  waitFor(predicate: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}

export const FILE_EVENT_NAMES = ['file_write', 'file_delete', 'file_rename', 'dir_create', 'dir_delete'];
/** The stream's own last frames (the client records them like events). */
const STREAM_END_NAMES = ['unauthorized'];

export async function waitUntil(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An EventSource on `/api/v1/events/stream<query>` with the bearer token (and Last-Event-ID when given). */
export function openStream(baseUrl: string, token: string, query = '', lastEventId?: string): StreamClient {
  const events: ReceivedEvent[] = [];
  const source = new EventSource(`${baseUrl}/api/v1/events/stream${query}`, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init.headers,
          authorization: `Bearer ${token}`,
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      }),
  });
  for (const name of [...FILE_EVENT_NAMES, ...STREAM_END_NAMES]) {
    source.addEventListener(name, (message) => {
      events.push({
        type: message.type,
        id: message.lastEventId,
        data: JSON.parse(String(message.data)) as ReceivedEvent['data'],
      });
    });
  }
  const opened = new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) => reject(new Error(`event stream failed: ${error.message ?? error.code}`));
  });
  return {
    events,
    opened,
    async waitFor(predicate, timeoutMs = 10_000) {
      await waitUntil(() => events.some(predicate), timeoutMs, 'an event');
      return events.find(predicate)!;
    },
    close: () => source.close(),
  };
}

export interface RawStream {
  socket: Socket;
  /** Reads (again) and resolves with everything the server sent until it closed the connection. */
  readToEnd(timeoutMs?: number): Promise<string>;
}

/** A GET over a bare socket that reads nothing until readToEnd: the server sees a client that stopped reading. */
export async function rawStream(baseUrl: string, path: string, token: string): Promise<RawStream> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.pause();
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    // The last chunk of a chunked body: the response is complete (the connection may stay open).
    if (Buffer.concat(chunks.slice(-2)).includes('\r\n0\r\n\r\n')) socket.destroy();
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n` +
      'Accept: text/event-stream\r\n\r\n',
  );
  return {
    socket,
    async readToEnd(timeoutMs = 30_000) {
      socket.resume();
      const timer = setTimeout(() => socket.destroy(), timeoutMs);
      await ended;
      clearTimeout(timer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** The body of a raw HTTP/1.1 response (headers dropped, chunked transfer encoding undone). */
function bodyOf(response: string): string {
  const bytes = Buffer.from(response, 'utf8');
  let offset = bytes.indexOf('\r\n\r\n') + 4;
  const chunks: Buffer[] = [];
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The SSE frames (comments included) of a raw chunked response, in order. */
export function sseFrames(response: string): string[] {
  return bodyOf(response)
    .split('\n\n')
    .filter((frame) => frame.trim() !== '');
}
