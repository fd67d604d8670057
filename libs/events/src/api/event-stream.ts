import type { ServerResponse } from 'node:http';
import type { Principal } from '@nexus/core';
import { eventCursor } from './event-cursor';
import type { EventFilter } from './event-filter';
import { matchesFilter } from './event-filter';
import type { StoredEvent } from './event-rows';
import { toEventResponse } from './event-response';
import type { EventVisibility } from './event-visibility.service';

/** How long an ended stream's socket may take to hand its last bytes to a client that does not read. */
const END_GRACE_MS = 30_000;

export interface EventStreamOptions {
  maxPending: number;
  heartbeatMs: number;
  /** Whether the principal's credential may still be used (re-checked before each batch and at each heartbeat). */
  credentialUsable: () => Promise<boolean>;
}

interface Pending {
  chunk: string;
  position: bigint;
}

/** One SSE frame; `data` is JSON, so it holds no newline that would split the frame. */
function frame(type: string, id: string | null, data: string): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${type}\ndata: ${data}\n\n`;
}

/**
 * One client's live stream (Server-Sent Events) over a raw response. The hub
 * offers it its zone's new events; it keeps those of its filter that its
 * principal may see, asked once per offered batch (permissions as of delivery).
 * When the socket stops draining, events wait in memory up to `maxPending`;
 * one more ends the stream with `event: overflow` naming the cursor to resume
 * from (the last event handed to the socket). A credential revoked (or expired,
 * or its subject disabled) while the stream is open ends it with
 * `event: unauthorized` before anything more is sent: the stream outlives the
 * request that authenticated it, so it checks again — and fails closed when
 * the check itself fails.
 */
export class EventStream {
  /** The last position examined: everything up to it was sent, hidden or is waiting. */
  position: bigint;
  private written: bigint;
  private readonly pending: Pending[] = [];
  private blocked = false;
  private ended = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly principal: Principal,
    private readonly response: ServerResponse,
    private readonly filter: EventFilter,
    start: bigint,
    private readonly visibility: EventVisibility,
    private readonly options: EventStreamOptions,
  ) {
    this.position = start;
    this.written = start;
    this.heartbeat = setInterval(() => {
      void this.credentialChecked().then((usable) => {
        // A blocked socket gets nothing more: a heartbeat would only add to its backlog.
        if (usable && !this.blocked) this.write(': heartbeat\n\n');
      });
    }, options.heartbeatMs);
    this.heartbeat.unref();
    response.on('close', () => {
      // The client went away mid-stream: its half-closed socket would otherwise stay open (and hold server close).
      if (!response.writableEnded) response.destroy();
      this.finish();
    });
    response.on('drain', () => this.flush());
  }

  get closed(): boolean {
    return this.ended;
  }

  get zoneId(): string {
    return this.principal.zoneId;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Delivers what of `events` (the zone's, in order) lies past this stream's position and it may see. */
  async offer(events: readonly StoredEvent[]): Promise<void> {
    const fresh = events.filter((event) => event.position > this.position);
    if (fresh.length === 0 || this.ended) return;
    if (!(await this.credentialChecked())) return;
    const candidates = fresh.filter((event) => matchesFilter(this.filter, event));
    const visible = await this.visibility.visible(this.principal, candidates);
    for (const event of candidates) {
      if (this.ended) return;
      if (!visible.has(event.id)) continue;
      const cursor = eventCursor(event.position);
      this.send({
        chunk: frame(event.type, cursor, JSON.stringify(toEventResponse(event))),
        position: event.position,
      });
    }
    this.position = fresh[fresh.length - 1]!.position;
    if (!this.blocked) this.written = this.position;
  }

  /** Ends the stream (shutdown, or the hub stops serving it). */
  end(): void {
    if (this.ended) return;
    this.response.end();
    this.finish();
  }

  /** Whether the credential may still be used; if not, the stream has ended with `event: unauthorized`. */
  private async credentialChecked(): Promise<boolean> {
    const usable = await this.options.credentialUsable().catch(() => false);
    if (!usable && !this.ended) {
      this.pending.length = 0;
      this.response.end(
        frame(
          'unauthorized',
          null,
          JSON.stringify({ message: 'The credential of this stream is no longer valid' }),
        ),
      );
      this.finish();
    }
    return usable && !this.ended;
  }

  private send(item: Pending): void {
    if (this.blocked) {
      this.pending.push(item);
      if (this.pending.length > this.options.maxPending) this.overflow();
      return;
    }
    this.write(item.chunk);
    this.written = item.position;
  }

  private write(chunk: string): void {
    if (this.ended) return;
    if (!this.response.write(chunk)) this.blocked = true;
  }

  private flush(): void {
    this.blocked = false;
    while (!this.blocked && this.pending.length > 0 && !this.ended) {
      const item = this.pending.shift()!;
      this.write(item.chunk);
      this.written = item.position;
    }
    if (!this.blocked && this.pending.length === 0) this.written = this.position;
  }

  private overflow(): void {
    this.pending.length = 0;
    this.response.end(frame('overflow', null, eventCursor(this.written)));
    // end() waits for the backlog to drain; a client that never reads would hold the socket forever.
    const socket = this.response.socket;
    const timer = setTimeout(() => socket?.destroy(), END_GRACE_MS);
    timer.unref();
    this.response.once('finish', () => clearTimeout(timer));
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    for (const listener of this.closeListeners) listener();
  }
}
