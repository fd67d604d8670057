import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@nexus/core/testing';

interface LintMessage {
  ruleId: string | null;
  message: string;
}

const FIXTURES = 'tools/lint/fixtures';

/** Lints one fixture file with the workspace's real ESLint config (normally ignored). */
function lint(fixture: string): LintMessage[] {
  const result = spawnSync(
    process.execPath,
    [join(WORKSPACE_ROOT, 'node_modules/eslint/bin/eslint.js'), '--no-ignore', '--format', 'json', `${FIXTURES}/${fixture}`],
    { cwd: WORKSPACE_ROOT, encoding: 'utf8' },
  );
  const reports = JSON.parse(result.stdout) as Array<{ messages: LintMessage[] }>;
  const messages = reports.flatMap((report) => report.messages);
  // A parse or config error would make every expectation below meaningless.
  expect(messages.filter((m) => m.ruleId === null)).toEqual([]);
  return messages;
}

const ruleIds = (messages: LintMessage[]) => messages.map((m) => m.ruleId);

describe('module boundaries (docs/ARCHITECTURE.md) are enforced by lint', () => {
  beforeAll(() => {
    // The rule reads Nx's cached project graph: make sure it knows the fixture projects.
    const refreshed = spawnSync(process.execPath, [join(WORKSPACE_ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: WORKSPACE_ROOT,
      encoding: 'utf8',
    });
    expect(refreshed.stdout).toContain('lint-fixture-core-probe');
    expect(refreshed.stdout).toContain('lint-fixture-platform-probe');
    expect(refreshed.stdout).toContain('lint-fixture-jobs-probe');
  });

  it('rejects a core-tagged project importing storage-models', () => {
    const messages = lint('core-probe/src/forbidden-import.ts');
    expect(ruleIds(messages)).toContain('@nx/enforce-module-boundaries');
    expect(messages.find((m) => m.ruleId === '@nx/enforce-module-boundaries')?.message).toMatch(/scope:core/);
  });

  it('rejects a platform-tagged project importing a domain', () => {
    const messages = lint('platform-probe/src/forbidden-domain-import.ts');
    expect(messages.find((m) => m.ruleId === '@nx/enforce-module-boundaries')?.message).toMatch(/type:platform/);
  });

  it('rejects the job system importing a domain other than auth', () => {
    const messages = lint('jobs-probe/src/forbidden-domain-import.ts');
    expect(messages.find((m) => m.ruleId === '@nx/enforce-module-boundaries')?.message).toMatch(/scope:jobs/);
  });

  it('rejects a relative import that leaves the project', () => {
    const messages = lint('core-probe/src/relative-import.ts');
    expect(ruleIds(messages)).toEqual(expect.arrayContaining(['@nx/enforce-module-boundaries', 'no-restricted-imports']));
  });

  it('accepts an app importing platform libraries through their aliases', () => {
    expect(lint('app-probe/src/allowed-import.ts')).toEqual([]);
  });
});
