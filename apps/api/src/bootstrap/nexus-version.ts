import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'nexus';

function manifestAt(dir: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
  } catch {
    return undefined;
  }
}

/**
 * The version in the repository's root package.json, found by walking up from
 * `start`: by default this module's directory, not the working directory (the
 * bundles may be started from anywhere). That is apps/api/src/bootstrap from
 * source and dist/nexus once bundled, which stays inside the checkout beside the
 * node_modules it loads, so both find the same package.json. 'unknown' rather
 * than a failed start when there is none.
 */
export function nexusVersion(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = manifestAt(dir);
    if (manifest?.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    if (dirname(dir) === dir) return 'unknown';
  }
}
