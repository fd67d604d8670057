import { Logger } from '@nestjs/common';
import { DomainError } from '@nexus/core';
import { RebacUnavailableError } from './rebac.errors';

const logger = new Logger('Rebac');

/**
 * Runs rebac work failing closed: domain errors pass through, anything else
 * (database down, a bug) is logged and becomes REBAC_UNAVAILABLE — never an "allowed".
 */
export async function failClosed<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    logger.error(`rebac ${operation} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new RebacUnavailableError(error);
  }
}
