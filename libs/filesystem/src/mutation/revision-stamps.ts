import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/**
 * Stamps operation log rows with the zone revision they became visible at,
 * after their commit. Stamps that arrive while one is being written wait and
 * go together in the next UPDATE: concurrent mutations share one statement
 * and one commit instead of paying a commit each.
 */
export class RevisionStamps {
  private readonly logger = new Logger('RevisionStamps');
  private ids: string[] = [];
  private revisions: string[] = [];
  private waiters: Array<() => void> = [];
  private writing = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Resolves once the rows are stamped (or the stamp failed, which is logged: the rows stay unstamped). */
  stamp(ids: readonly string[], revision: bigint): Promise<void> {
    for (const id of ids) {
      this.ids.push(id);
      this.revisions.push(revision.toString());
    }
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiters.length > 0) {
        const { ids, revisions, waiters } = this;
        this.ids = [];
        this.revisions = [];
        this.waiters = [];
        // Two array parameters, however many rows: no parameter limit to chunk around.
        await this.dataSource
          .query(
            `UPDATE operation_log AS o SET revision = u.revision
               FROM unnest($1::uuid[], $2::bigint[]) AS u(id, revision) WHERE o.id = u.id`,
            [ids, revisions],
          )
          .catch((error: unknown) =>
            this.logger.warn(`operation log revision not stamped: ${String(error)}`),
          );
        for (const resolve of waiters) resolve();
      }
    } finally {
      this.writing = false;
    }
  }
}
