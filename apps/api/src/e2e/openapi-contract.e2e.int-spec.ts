import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createTestDatabase } from '@nexus/storage-models/testing';
import type { TestDatabase } from '@nexus/storage-models/testing';
import { newAdminKey, startApi } from './support/api-under-test';
import type { ApiUnderTest } from './support/api-under-test';
import { GENERATED_CLIENT_MODULE, typeCheckGeneratedClient } from './support/openapi-client-check';
import { documentationGaps, labelOf, operationsOf, requiresCredential } from './support/openapi-completeness';

const ROOT_PACKAGE = join(__dirname, '../../../../package.json');

/** The parser's own document type, read off its signature (its types package is not a dependency here). */
type ParserDocument = Exclude<Parameters<typeof SwaggerParser.validate>[1], string>;

/**
 * What a client written against the generated types relies on: the file stat,
 * the job routes and the error body. The @ts-expect-error lines fail the check
 * if a response type were loose (any) instead of its schema.
 */
const CLIENT_USAGE = `
import type { components, paths } from '${GENERATED_CLIENT_MODULE}';

type FileStat = paths['/api/v1/fs/stat']['get']['responses'][200]['content']['application/json'];
type Job = paths['/api/v1/jobs/{id}']['get']['responses'][200]['content']['application/json'];
type SubmittedJob = paths['/api/v1/jobs']['post']['responses'][201]['content']['application/json'];
type JobPage = paths['/api/v1/jobs']['get']['responses'][200]['content']['application/json'];
type JobNotFound = paths['/api/v1/jobs/{id}']['get']['responses'][404]['content']['application/json'];
type ApiError = components['schemas']['ErrorResponse'];

export function describeJob(job: Job, page: JobPage): string {
  const status: 'queued' | 'running' | 'succeeded' | 'failed' | 'retry_wait' | 'cancelled' = job.status;
  const startedAt: string | null = job.startedAt;
  const total: number = page.total;
  // @ts-expect-error a status is one of its enum, not a number
  const wrongStatus: number = job.status;
  // @ts-expect-error startedAt is null until the job starts
  const wrongStart: string = job.startedAt;
  return [status, startedAt, total, page.items[0]?.id, wrongStatus, wrongStart].join(' ');
}

export function describeFile(stat: FileStat): string {
  const size: number = stat.size;
  const path: string = stat.path;
  return path + size;
}

export function describeFailure(error: JobNotFound): ApiError {
  const code: string = error.error;
  const requestId: string | null = error.requestId;
  return { ...error, message: code + (requestId ?? '') };
}

export const submittedId = (job: SubmittedJob): string => job.id;
`;

/** The control: code that misreads a response type must not compile, or the check checks nothing. */
const CLIENT_MISUSE = `
import type { paths } from '${GENERATED_CLIENT_MODULE}';

type Job = paths['/api/v1/jobs/{id}']['get']['responses'][200]['content']['application/json'];

export const attempts = (job: Job): string => job.attemptCount;
`;

describe('the OpenAPI document at /docs-json (real API, PostgreSQL and Redis)', () => {
  let database: TestDatabase;
  let api: ApiUnderTest;
  let document: OpenAPIObject;

  beforeAll(async () => {
    database = await createTestDatabase('nexus_api_openapi');
    api = await startApi(database.url, newAdminKey());
    const served = await api.call<OpenAPIObject>('GET', '/docs-json', null);
    expect(served.status).toBe(200);
    document = served.body;
  });

  afterAll(async () => {
    await api?.app.close();
    await database?.drop();
  });

  it('documents for every operation its success answer with a schema and its error answers', () => {
    expect(operationsOf(document).length).toBeGreaterThan(0);
    expect(documentationGaps(document)).toEqual([]);
  });

  it('documents as public only operations that answer without a credential', async () => {
    const refused: string[] = [];
    for (const documented of operationsOf(document)) {
      if (requiresCredential(document, documented.operation)) continue;
      // Any value does for a path parameter: the guard refuses before the route reads it.
      const path = documented.path.replace(/\{[^}]+\}/g, 'x');
      const response = await fetch(`${api.baseUrl}${path}`, { method: documented.method.toUpperCase() });
      await response.arrayBuffer();
      if (response.status === 401) refused.push(labelOf(documented));
    }
    expect(refused).toEqual([]);
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    // The parser dereferences in place: validate a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as ParserDocument)).resolves.toBeDefined();
  });

  it('generates a TypeScript client that type-checks strictly with code using it', async () => {
    const diagnostics = await typeCheckGeneratedClient(document, {
      'usage.ts': CLIENT_USAGE,
      'misuse.ts': CLIENT_MISUSE,
    });
    expect(diagnostics.filter((diagnostic) => !diagnostic.startsWith('misuse.ts'))).toEqual([]);
    expect(diagnostics).toEqual([
      expect.stringMatching(
        /^misuse\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
      ),
    ]);
  }, 120_000);

  it('carries the version of the root package.json', () => {
    const { version } = JSON.parse(readFileSync(ROOT_PACKAGE, 'utf8')) as { version: string };
    expect(document.info.version).toBe(version);
  });
});
