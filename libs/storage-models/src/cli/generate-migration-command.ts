import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../database/data-source-options';
import type { DatabaseSchema } from '../database/data-source-options';
import { startTemporaryPostgres } from '../embedded/temporary-postgres';

function render(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${JSON.stringify(query)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

const USAGE = `Usage: npm run migration:generate -- <library> <PascalCaseName>

Writes libs/<library>/src/migrations/<timestamp>-<Name>.ts holding the difference
between the entities and the schema the existing migrations build (computed on a
throw-away embedded PostgreSQL server). <library> is the domain that owns the
changed entities, or storage-models for the platform's tables. Add the class to
that library's migration list afterwards.
`;

/**
 * \`npm run migration:generate\`: the app that mounts every domain calls this with
 * their schema and the workspace root.
 */
export async function runGenerateMigrationCommand(
  schema: DatabaseSchema,
  workspaceRoot: string,
  argv: string[],
): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  try {
    await generate(schema, workspaceRoot, argv);
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

async function generate(schema: DatabaseSchema, workspaceRoot: string, argv: string[]): Promise<void> {
  const [library, name] = argv;
  if (!library || !name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new Error(USAGE);
  const directory = join(workspaceRoot, 'libs', library, 'src', 'migrations');
  if (!existsSync(join(workspaceRoot, 'libs', library)))
    throw new Error(`No library libs/${library}\n\n${USAGE}`);
  const database = await startTemporaryPostgres();
  const dataSource = new DataSource(
    buildDataSourceOptions({
      url: database.url,
      poolSize: 2,
      poolIdleMs: 1000,
      statementTimeoutMs: 0,
      schema,
    }),
  );
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const log = await dataSource.driver.createSchemaBuilder().log();
    if (log.upQueries.length === 0) {
      process.stdout.write('No schema changes: the migrations already match the entities.\n');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    await mkdir(directory, { recursive: true });
    const file = join(directory, `${timestamp}-${name}.ts`);
    const up = log.upQueries.map((q) => q.query);
    const down = log.downQueries.map((q) => q.query).reverse();
    await writeFile(file, render(className, up, down));
    process.stdout.write(
      `Wrote ${file} (${up.length} statements). Add ${className} to libs/${library}'s migration list.\n`,
    );
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}
