import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export type ChildName = 'api' | 'worker';

/**
 * From source (`npm start`), children run their TypeScript entry through
 * @swc-node/register; from the build (`npm run start:prod`, this file bundled as
 * dist/nexus/start.js) they run the bundles beside it with plain node.
 */
const BUILT = __filename.endsWith('.js');
const REPOSITORY_ROOT = join(__dirname, '..', '..');
const SOURCE_ENTRIES: Record<ChildName, string> = {
  api: join(REPOSITORY_ROOT, 'apps/api/src/main.ts'),
  worker: join(REPOSITORY_ROOT, 'apps/worker/src/main.ts'),
};

function commandFor(name: ChildName): { args: string[]; env: NodeJS.ProcessEnv } {
  if (BUILT) return { args: [join(__dirname, `${name}.js`)], env: {} };
  return {
    args: ['-r', require.resolve('@swc-node/register'), SOURCE_ENTRIES[name]],
    env: { SWC_NODE_PROJECT: join(REPOSITORY_ROOT, 'tsconfig.base.json') },
  };
}

export function spawnChild(name: ChildName, env: NodeJS.ProcessEnv): ChildProcess {
  const command = commandFor(name);
  return spawn(process.execPath, command.args, {
    // Own process group: a terminal's Ctrl-C reaches only the launcher, which
    // forwards one SIGTERM, so each child shuts down gracefully exactly once.
    detached: true,
    stdio: 'inherit',
    env: { ...env, ...command.env },
  });
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
