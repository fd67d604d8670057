import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNexusProcess } from '@nexus/core/testing';
import type { NexusProcess } from '@nexus/core/testing';
import { waitForHealth } from './http-load';
import type { PutLoadClient } from './put-load';

/** A real API process on `databaseUrl` with its own data dir (`env` adds settings); resolves once healthy with the bootstrap admin key. */
export async function startApi(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ api: NexusProcess; base: string; adminKey: string; dataDir: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'nexus-bench-api-'));
  const api = startNexusProcess('apps/api/src/main.ts', {
    DATABASE_URL: databaseUrl,
    NEXUS_PORT: String(port),
    LOG_LEVEL: 'warn',
    NEXUS_DATA_DIR: dataDir,
    NEXUS_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ...env,
  });
  const [, adminKey] = await api.waitForOutput(
    /Bootstrap superuser key created \(shown once, store it now\): (\S+?)"/,
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base);
  return { api, base, adminKey: adminKey ?? '', dataDir };
}

/** An editor key in the admin's zone. */
export async function editorKey(base: string, adminKey: string): Promise<{ key: string; zoneId: string }> {
  const response = await fetch(`${base}/api/v1/auth/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench editor',
      subjectType: 'agent',
      subjectId: 'bench-editor',
      role: 'editor',
      rateLimitPerMinute: 1_000_000,
    }),
  });
  const json = (await response.json()) as { key: string; zoneId: string };
  if (response.status >= 300) throw new Error(`create key: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** `clients` API clients writing new files under `/bench/<tag>/c<client>/`. */
export function apiWriters(base: string, key: string, tag: string, clients: number): PutLoadClient[] {
  return Array.from({ length: clients }, (_, client) => ({
    url: (n: number) => `${base}/api/v1/files/bench/${tag}/c${client}/f${n}.bin?parents=true`,
    headers: { authorization: `Bearer ${key}` },
  }));
}
