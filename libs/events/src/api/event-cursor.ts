import { decodeCursor, encodeCursor } from '@nexus/core';
import { invalidEventCursor } from './events.errors';

interface CursorPosition extends Record<string, unknown> {
  /** The event's zone position, decimal. */
  p: string;
}

function isCursorPosition(value: unknown): value is CursorPosition {
  const p = (value as { p?: unknown } | null)?.p;
  return typeof p === 'string' && /^\d{1,19}$/.test(p);
}

/** The opaque cursor of a zone position (an event's `cursor`, SSE `id:`, `nextCursor`). */
export function eventCursor(position: bigint): string {
  return encodeCursor({ p: position.toString() });
}

/** The position a cursor names; 400 naming `field` for anything else. */
export function positionOf(field: string, cursor: string): bigint {
  try {
    return BigInt(decodeCursor(cursor, isCursorPosition).p);
  } catch {
    throw invalidEventCursor(field, cursor);
  }
}
