import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { ApiConfig } from '@nexus/core';
import { EventRows } from './event-rows';
import type { EventStream } from './event-stream';

/** Events read per zone per query; a full batch is followed by another read at once. */
const BATCH = 500;

/**
 * The live streams of this process and the one poller feeding them. Every
 * NEXUS_EVENT_STREAM_POLL_MS it reads, for each zone with open streams, the
 * zone's outbox once past the furthest-behind stream (one query per zone, not
 * per stream) and offers the batch to each of the zone's streams. The outbox in
 * PostgreSQL is the only channel: any API process serves any stream. A stream
 * that resumes from an older cursor catches up with its own reads first.
 */
@Injectable()
export class EventStreamHub implements OnModuleDestroy {
  private readonly logger = new Logger('EventStreamHub');
  private readonly zones = new Map<string, Set<EventStream>>();
  private readonly all = new Set<EventStream>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly rows: EventRows,
    private readonly config: ApiConfig,
  ) {}

  /** Where a stream without a cursor starts: the zone's current end. */
  head(zoneId: string): Promise<bigint> {
    return this.rows.head(zoneId);
  }

  /** Serves `stream` until it closes; `catchUp` when it starts behind the zone's end. */
  attach(stream: EventStream, catchUp: boolean): void {
    if (this.stopped) {
      stream.end();
      return;
    }
    this.all.add(stream);
    stream.onClose(() => {
      this.all.delete(stream);
      const zone = this.zones.get(stream.zoneId);
      zone?.delete(stream);
      if (zone?.size === 0) this.zones.delete(stream.zoneId);
    });
    if (!catchUp) {
      this.join(stream);
      return;
    }
    this.catchUp(stream).then(
      () => this.join(stream),
      (error: unknown) => {
        // The client reconnects with its Last-Event-ID: nothing is lost by ending here.
        this.logger.warn(`Event stream catch-up failed: ${String(error)}`);
        stream.end();
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    for (const stream of [...this.all]) stream.end();
  }

  /** How many streams this process serves (tests, metrics). */
  get size(): number {
    return this.all.size;
  }

  private async catchUp(stream: EventStream): Promise<void> {
    for (;;) {
      if (stream.closed || this.stopped) return;
      const batch = await this.rows.read(stream.zoneId, stream.position, BATCH);
      await stream.offer(batch);
      if (batch.length < BATCH) return;
    }
  }

  /** From here on the zone's poll feeds it: it reads past the lowest position among the zone's streams. */
  private join(stream: EventStream): void {
    if (stream.closed) return;
    const zone = this.zones.get(stream.zoneId) ?? new Set<EventStream>();
    zone.add(stream);
    this.zones.set(stream.zoneId, zone);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.polling || this.stopped || this.zones.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.pollAll().finally(() => {
        this.polling = null;
        this.schedule();
      });
    }, this.config.NEXUS_EVENT_STREAM_POLL_MS);
  }

  private async pollAll(): Promise<void> {
    await Promise.all([...this.zones].map(([zoneId, streams]) => this.pollZone(zoneId, streams)));
  }

  private async pollZone(zoneId: string, streams: ReadonlySet<EventStream>): Promise<void> {
    try {
      for (;;) {
        const open = [...streams].filter((stream) => !stream.closed);
        if (open.length === 0 || this.stopped) return;
        const from = open.reduce(
          (low, stream) => (stream.position < low ? stream.position : low),
          open[0]!.position,
        );
        const batch = await this.rows.read(zoneId, from, BATCH);
        await Promise.all(open.map((stream) => stream.offer(batch)));
        if (batch.length < BATCH) return;
      }
    } catch (error) {
      // Tried again at the next poll; the streams keep their positions.
      this.logger.warn(`Event stream poll of zone ${zoneId} failed: ${String(error)}`);
    }
  }
}
