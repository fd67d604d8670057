import { ValidationError, decodeCursor, encodeCursor } from '@nexus/core';
import { InvalidRevisionTokenError } from './rebac.errors';

interface RevisionPosition extends Record<string, unknown> {
  rev: string;
}

function isRevisionPosition(value: unknown): value is RevisionPosition {
  return (
    typeof value === 'object' && value !== null && /^\d{1,19}$/.test(String((value as { rev?: unknown }).rev))
  );
}

/** An opaque token naming a zone's permission revision (its latest change id). */
export function encodeRevision(revision: bigint): string {
  return encodeCursor({ rev: revision.toString() });
}

export function decodeRevision(token: string): bigint {
  if (typeof token !== 'string' || token.length === 0 || token.length > 128)
    throw new InvalidRevisionTokenError(String(token));
  try {
    return BigInt(decodeCursor(token, isRevisionPosition).rev);
  } catch (error) {
    if (error instanceof ValidationError) throw new InvalidRevisionTokenError(token);
    throw error;
  }
}
