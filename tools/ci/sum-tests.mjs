#!/usr/bin/env node
// Sums the Jest JSON reports every project's test target writes to reports/jest/
// and prints one line: `tests: N passed, N failed`. Exits 1 when a test failed, a
// suite failed to run, or a project with a test target left no report.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const reportsDir = join(root, 'reports', 'jest');
const projectsWithTests = JSON.parse(
  execFileSync(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects', '--with-target', 'test', '--json'], {
    cwd: root,
    encoding: 'utf8',
  }),
);

let passed = 0;
let failed = 0;
const problems = [];
for (const name of projectsWithTests) {
  const file = join(reportsDir, `${name}.json`);
  if (!existsSync(file)) {
    problems.push(`${name}: no test report (tests did not run)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numRuntimeErrorTestSuites > 0) problems.push(`${name}: ${report.numRuntimeErrorTestSuites} suite(s) failed to run`);
}
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
