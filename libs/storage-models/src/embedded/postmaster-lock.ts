import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** What postmaster.pid says about a server on a data directory. */
export interface PostmasterLock {
  pid: number;
  port: number;
}

/** Thrown when a live server already owns the data directory. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${directory} is in use by a running PostgreSQL server (pid ${pid}): ` +
        'another `npm start` is probably running on the same NEXUS_DATA_DIR. Stop it, or use another NEXUS_DATA_DIR',
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

async function readLock(directory: string): Promise<PostmasterLock | null> {
  let text: string;
  try {
    text = await readFile(join(directory, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  // Line 1 is the postmaster's pid, line 4 its port (PostgreSQL's documented layout).
  const lines = text.split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** True when `pid` is a live PostgreSQL process (not a recycled pid of something else). */
async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return command.includes('postgres');
  } catch {
    // No /proc (macOS): a live pid is taken as the server.
    return true;
  }
}

/** The live server on `directory`, or null (a stale lock is left for `clearStaleLock`). */
export async function runningServer(directory: string): Promise<PostmasterLock | null> {
  const lock = await readLock(directory);
  return lock && (await isPostgresProcess(lock.pid)) ? lock : null;
}

/**
 * Before a start: a live server means the directory is in use (refused); a lock
 * left by a killed server is removed, so a recycled pid cannot block the start.
 */
export async function claimDataDirectory(directory: string): Promise<{ staleLockRemoved: boolean }> {
  const lock = await readLock(directory);
  if (!lock) return { staleLockRemoved: false };
  if (await isPostgresProcess(lock.pid)) throw new EmbeddedDatabaseInUseError(directory, lock.pid);
  await rm(join(directory, 'postmaster.pid'), { force: true });
  return { staleLockRemoved: true };
}
