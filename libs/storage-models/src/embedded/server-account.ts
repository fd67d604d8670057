import { execFileSync } from 'node:child_process';

/** The account the PostgreSQL server runs as: this process's own, or `postgres` when this process is root. */
export interface ServerAccount {
  uid?: number;
  gid?: number;
  name: string;
}

function idOf(flag: '-u' | '-g', user: string): number {
  return Number(
    execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
  );
}

/**
 * PostgreSQL refuses to run as root (initdb and postgres both exit), which is how
 * containers and CI often run: then the server runs as the unprivileged `postgres`
 * user, and its data directory is owned by it.
 */
export function serverAccount(): ServerAccount {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { name: process.env.USER ?? 'current user' };
  }
  try {
    return { uid: idOf('-u', 'postgres'), gid: idOf('-g', 'postgres'), name: 'postgres' };
  } catch {
    throw new Error(
      'The embedded PostgreSQL server cannot run as root and there is no unprivileged "postgres" user to run it as: ' +
        'create one (e.g. `useradd --system --user-group postgres`), run Nexus as a non-root user, or set DATABASE_URL',
    );
  }
}
