import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { OpenAPIObject } from '@nestjs/swagger';
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';

const WORKSPACE_ROOT = resolve(__dirname, '../../../../..');
const TSC = join(WORKSPACE_ROOT, 'node_modules/.bin/tsc');
const TSC_OPTIONS = [
  '--noEmit',
  '--strict',
  '--pretty',
  'false',
  '--target',
  'es2022',
  '--module',
  'esnext',
  '--moduleResolution',
  'bundler',
];

const CLIENT_FILE = 'nexus-api.ts';
/** The module the checked sources import the generated types from. */
export const GENERATED_CLIENT_MODULE = './nexus-api';

/**
 * Generates the TypeScript types of `document` with openapi-typescript, writes
 * them beside `sources` (file name → code importing GENERATED_CLIENT_MODULE) in a
 * temporary directory, and type-checks all of them with the workspace's tsc,
 * strict. Answers the compiler's diagnostics (none: it compiles).
 */
export async function typeCheckGeneratedClient(
  document: OpenAPIObject,
  sources: Record<string, string>,
): Promise<string[]> {
  const directory = mkdtempSync(join(tmpdir(), 'nexus-openapi-client-'));
  try {
    // The caller keeps using the document: openapi-typescript works on a copy.
    writeFileSync(
      join(directory, CLIENT_FILE),
      astToString(await openapiTS(structuredClone(document) as OpenAPI3)),
    );
    for (const [name, code] of Object.entries(sources)) writeFileSync(join(directory, name), code);
    try {
      // Run in the temporary directory so no workspace tsconfig or @types joins in.
      await promisify(execFile)(TSC, [...TSC_OPTIONS, CLIENT_FILE, ...Object.keys(sources)], {
        cwd: directory,
      });
      return [];
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      const output = `${stdout}${stderr}`.trim() || String(error);
      // A diagnostic's indented continuation lines stay with it.
      return output.split(/\n(?=\S)/);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
