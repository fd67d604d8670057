#!/usr/bin/env node
// `npm start`: runs the API and the worker as two processes from one command.
// Without DATABASE_URL the API serves the embedded database and the worker joins
// it. Ctrl-C (or SIGTERM) stops both gracefully; if either exits on its own, the
// other is stopped and `npm start` exits with the first one's code.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const processes = [
  { name: 'api', entry: 'apps/api/src/main.ts' },
  { name: 'worker', entry: 'apps/worker/src/main.ts' },
];

const children = new Map();
let exitCode = null;

function stopAll(signal) {
  for (const child of children.values()) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

for (const { name, entry } of processes) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: root,
    // Own process group: a terminal's Ctrl-C reaches only this launcher, which
    // forwards one SIGTERM, so each child shuts down gracefully exactly once.
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') },
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    const status = code ?? (signal ? 1 : 0);
    if (exitCode === null) {
      exitCode = status;
      if (status !== 0) process.stderr.write(`nexus: ${name} exited with ${signal ?? `code ${code}`}; stopping the rest\n`);
      stopAll('SIGTERM');
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (exitCode === null) exitCode = 0;
    stopAll('SIGTERM');
  });
}
