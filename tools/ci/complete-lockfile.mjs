#!/usr/bin/env node
// The npm registry mirror this project builds against answers 404 for native
// packages of other platforms (darwin, win32, arm…), so `npm install` leaves them
// out of package-lock.json — and `npm ci` then refuses the lockfile as out of sync.
// This adds a lock entry for every missing optional dependency, marked optional and
// restricted to its platform, so `npm ci` skips it here exactly as it would skip it
// with a complete lockfile. Run after `npm install` changes the lockfile
// (`npm run lock:complete`); it is idempotent.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const lockPath = join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS_WORDS = { darwin: 'darwin', win32: 'win32', linux: 'linux', freebsd: 'freebsd', android: 'android', openharmony: 'openharmony', netbsd: 'netbsd', openbsd: 'openbsd', sunos: 'sunos', aix: 'aix' };
const CPU_WORDS = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32', mips64el: 'mips64el' };

function platformOf(name) {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  const os = words.find((w) => OS_WORDS[w]);
  const cpu = words.find((w) => CPU_WORDS[w]);
  return { ...(os ? { os: [OS_WORDS[os]] } : {}), ...(cpu ? { cpu: [CPU_WORDS[cpu]] } : {}) };
}

/** Where npm would look for `dep` required from the package at `location`. */
function resolves(location, dep) {
  let base = location;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${dep}` : `node_modules/${dep}`;
    if (packages[candidate]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, dep)) continue;
    const version = /^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec) ? spec : spec.replace(/^[\^~=]/, '');
    packages[location ? `${location}/node_modules/${dep}` : `node_modules/${dep}`] = {
      version,
      optional: true,
      ...platformOf(dep),
    };
    added++;
  }
}

const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`package-lock.json: added ${added} platform-specific optional entries\n`);
