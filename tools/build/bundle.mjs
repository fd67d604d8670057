#!/usr/bin/env node
/**
 * Bundles the Nexus processes into plain CommonJS files in dist/nexus that run with
 * `node` alone (no @swc-node/register, no TypeScript at run time):
 *
 *   apps/api/src/main.ts                    -> dist/nexus/api.js
 *   apps/worker/src/main.ts                 -> dist/nexus/worker.js
 *   apps/api/src/cli/migrate.ts  -> dist/nexus/migrate.js
 *   tools/launcher/main.ts                  -> dist/nexus/start.js
 *   libs/search/src/grep/grep-worker.ts     -> dist/nexus/grep-worker.js (the API's grep threads load it from beside api.js)
 *   libs/search/src/index/analysis-worker.ts -> dist/nexus/analysis-worker.js (the worker's indexing threads)
 *
 * esbuild bundles (resolving the `@nexus/*` paths of tsconfig.base.json at build
 * time) while every .ts file is compiled by @swc/core first, configured like
 * `@swc-node/register` configures itself from tsconfig.base.json: esbuild does not
 * implement `emitDecoratorMetadata`, which NestJS dependency injection needs.
 * npm packages stay external and are required at run time from node_modules (so
 * dist/nexus must stay inside the repository checkout, beside node_modules).
 */
import { readFile, rm, stat, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSCONFIG = join(ROOT, 'tsconfig.base.json');
const OUT_DIR = join(ROOT, 'dist', 'nexus');

/** Output name (dist/nexus/<name>.js) -> entry point, relative to the repository root. */
const ENTRIES = {
  api: 'apps/api/src/main.ts',
  worker: 'apps/worker/src/main.ts',
  migrate: 'apps/api/src/cli/migrate.ts',
  start: 'tools/launcher/main.ts',
  'grep-worker': 'libs/search/src/grep/grep-worker.ts',
  'analysis-worker': 'libs/search/src/index/analysis-worker.ts',
};

const USAGE = `Usage: node tools/build/bundle.mjs [--no-clean] [NAME...]

Bundles the Nexus entry points with esbuild (each .ts file compiled by @swc/core,
for NestJS's decorator metadata) into ${relative(ROOT, OUT_DIR)}/:
${Object.entries(ENTRIES)
  .map(([name, entry]) => `  ${entry.padEnd(40)} -> ${relative(ROOT, OUT_DIR)}/${name}.js`)
  .join('\n')}

NAME... builds only those outputs (${Object.keys(ENTRIES).join(', ')}); default all. An entry
whose source file does not exist is skipped with a warning.

  --no-clean   remove nothing first (default: ${relative(ROOT, OUT_DIR)}/ is emptied when building all,
               only the named outputs' files are removed when NAME... is given)
  -h, --help   print this help

Node 20 CommonJS with external source maps (run with --enable-source-maps, e.g.
NODE_OPTIONS=--enable-source-maps, for TypeScript positions in stack traces). npm
packages are not bundled: they load from the repository's node_modules at run time.
Prints one line per output (size, time); exits 1 if any build fails.
`;

function fail(message) {
  process.stderr.write(`bundle: ${message}\n`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, 'no-clean': { type: 'boolean' } },
  });
} catch (error) {
  process.stderr.write(`bundle: ${error.message}\n\n${USAGE}`);
  process.exit(64);
}
if (args.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = args.positionals.filter((name) => !(name in ENTRIES));
if (unknown.length > 0) {
  process.stderr.write(
    `bundle: unknown output ${unknown.join(', ')} (one of ${Object.keys(ENTRIES).join(', ')})\n`,
  );
  process.exit(64);
}

// Resolved from the repository (not from this file's own location) so the versions are the project's.
const requireFromRoot = createRequire(join(ROOT, 'package.json'));
const esbuild = requireFromRoot('esbuild');
const swc = requireFromRoot('@swc/core');
const ts = requireFromRoot('typescript');

/**
 * The compiler options @swc-node/register uses (`SWC_NODE_PROJECT=tsconfig.base.json`):
 * read through TypeScript itself, so `extends` and comments behave the same.
 */
function readCompilerOptions() {
  const { config, error } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
  if (error) fail(`cannot read ${TSCONFIG}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const parsed = ts.parseJsonConfigFileContent({ ...config, include: [], files: [] }, ts.sys, ROOT);
  const problems = parsed.errors.filter((d) => d.code !== 18002); // 18002: "files list is empty" (we pass none on purpose)
  if (problems.length > 0)
    fail(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return parsed.options;
}

const compilerOptions = readCompilerOptions();
if (!compilerOptions.experimentalDecorators || !compilerOptions.emitDecoratorMetadata) {
  fail(
    `${relative(ROOT, TSCONFIG)} must enable experimentalDecorators and emitDecoratorMetadata (NestJS injection needs them)`,
  );
}

/**
 * Mirrors @swc-node/register's tsCompilerOptionsToSwcConfig + @swc-node/core's
 * transformOption for these compiler options, except for the module type: ES modules
 * (not CommonJS) so esbuild can bundle and tree-shake; esbuild emits the CommonJS.
 */
const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  isModule: true,
  minify: false,
  sourceMaps: 'inline', // esbuild picks up an inline input map and chains it into the bundle's map
  inlineSourcesContent: true,
  module: { type: 'es6' },
  jsc: {
    target: 'es2022',
    externalHelpers: false, // @swc/helpers is not a dependency; helpers are inlined (importHelpers is off)
    keepClassNames: true,
    parser: { syntax: 'typescript', tsx: false, decorators: true, dynamicImport: true },
    transform: {
      legacyDecorator: true,
      decoratorMetadata: true,
      // tsconfig sets useDefineForClassFields: false; like tsc, property declarations
      // without initialisers must not become own properties set to undefined.
      useDefineForClassFields: Boolean(compilerOptions.useDefineForClassFields),
    },
    experimental: { keepImportAttributes: true },
  },
};

/** One SWC compile per file for all builds (they share most of libs/). */
const compiled = new Map();

function compile(path) {
  let result = compiled.get(path);
  if (!result) {
    result = readFile(path, 'utf8').then((source) =>
      swc.transform(source, { ...SWC_OPTIONS, filename: path }),
    );
    compiled.set(path, result);
  }
  return result;
}

const swcPlugin = {
  name: 'swc-decorator-metadata',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async ({ path }) => {
      if (path.endsWith('.d.ts') || path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      try {
        const { code } = await compile(path);
        return { contents: code, loader: 'js', resolveDir: dirname(path) };
      } catch (error) {
        return {
          errors: [{ text: `@swc/core: ${error.message ?? String(error)}`, location: { file: path } }],
        };
      }
    });
  },
};

/** Sources whose run-time file paths would change under bundling: reported, not guessed at. */
const RUNTIME_PATH_PATTERN = /\b__dirname\b|\b__filename\b|import\.meta\b/;

async function bundle(name, entry) {
  const started = performance.now();
  const outfile = join(OUT_DIR, `${name}.js`);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    sourcesContent: true,
    packages: 'external',
    tsconfig: TSCONFIG,
    // Nest, TypeORM (migration and entity names) and the logs use class and function
    // names; esbuild would rename symbols that collide once everything shares a scope.
    keepNames: true,
    minify: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: [swcPlugin],
  });
  for (const warning of result.warnings) {
    const where = warning.location ? `${warning.location.file}:${warning.location.line}: ` : '';
    process.stderr.write(`bundle: ${name}: warning: ${where}${warning.text}\n`);
  }
  const inputs = Object.keys(result.metafile.inputs);
  const runtimePaths = [];
  for (const input of inputs) {
    const text = await readFile(join(ROOT, input), 'utf8').catch(() => '');
    if (RUNTIME_PATH_PATTERN.test(text)) runtimePaths.push(input);
  }
  const { size } = await stat(outfile);
  const ms = Math.round(performance.now() - started);
  return { name, entry, outfile, size, ms, inputs: inputs.length, runtimePaths };
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

async function main() {
  const wanted = args.positionals.length > 0 ? args.positionals : Object.keys(ENTRIES);
  const jobs = [];
  for (const name of wanted) {
    const entry = ENTRIES[name];
    if (!existsSync(join(ROOT, entry))) {
      process.stderr.write(
        `bundle: warning: ${entry} does not exist; skipping ${relative(ROOT, OUT_DIR)}/${name}.js\n`,
      );
      continue;
    }
    jobs.push([name, entry]);
  }
  if (jobs.length === 0) fail('nothing to build');
  if (!args.values['no-clean']) {
    // All outputs: empty the directory, so nothing stale (a skipped entry's old bundle) stays.
    // Named outputs: remove only those, keeping the others' bundles.
    if (args.positionals.length === 0) await rm(OUT_DIR, { recursive: true, force: true });
    else
      for (const name of wanted)
        for (const ext of ['.js', '.js.map']) await rm(join(OUT_DIR, name + ext), { force: true });
  }
  await mkdir(OUT_DIR, { recursive: true });

  const started = performance.now();
  const results = await Promise.allSettled(jobs.map(([name, entry]) => bundle(name, entry)));
  let failed = 0;
  for (const [index, outcome] of results.entries()) {
    const [name, entry] = jobs[index];
    if (outcome.status === 'rejected') {
      failed += 1;
      const errors = outcome.reason?.errors ?? [];
      const detail =
        errors.length > 0
          ? errors
              .map((e) => `${e.location ? `${e.location.file}:${e.location.line ?? ''}: ` : ''}${e.text}`)
              .join('\n  ')
          : (outcome.reason?.message ?? String(outcome.reason));
      process.stderr.write(`bundle: ${entry} FAILED\n  ${detail}\n`);
      continue;
    }
    const r = outcome.value;
    process.stdout.write(
      `bundle: ${relative(ROOT, r.outfile).padEnd(24)} ${megabytes(r.size).padStart(9)}  ${String(r.inputs).padStart(4)} modules  ${String(r.ms).padStart(5)} ms  (${name} <- ${entry})\n`,
    );
    if (r.runtimePaths.length > 0) {
      process.stdout.write(
        `        uses __dirname/__filename/import.meta (now ${relative(ROOT, OUT_DIR)}/): ${r.runtimePaths.join(', ')}\n`,
      );
    }
  }
  const total = Math.round(performance.now() - started);
  if (failed > 0) fail(`${failed} of ${jobs.length} bundle(s) failed (${total} ms)`);
}

main().catch((error) => fail(error?.stack ?? String(error)));
