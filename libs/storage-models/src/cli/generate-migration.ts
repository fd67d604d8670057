/**
 * Writes a migration holding the difference between the entities and the schema
 * the existing migrations build, computed on a throw-away embedded PostgreSQL server.
 *   npm run migration:generate -- AddFilePaths
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES } from '../all-entities';
import { buildDataSourceOptions } from '../database/data-source-options';
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

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  }
  const database = await startTemporaryPostgres();
  const dataSource = new DataSource(
    buildDataSourceOptions({ url: database.url, poolSize: 2, poolIdleMs: 1000, statementTimeoutMs: 0, entities: ALL_ENTITIES }),
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
    const file = join(__dirname, '..', 'migrations', `${timestamp}-${name}.ts`);
    const up = log.upQueries.map((q) => q.query);
    const down = log.downQueries.map((q) => q.query).reverse();
    await writeFile(file, render(className, up, down));
    process.stdout.write(`Wrote ${file} (${up.length} statements). Add ${className} to migrations/index.ts.\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
