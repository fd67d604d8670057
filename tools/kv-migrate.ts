/**
 * Copies a raft-kv store into another engine: the embedded LMDB store into etcd
 * (and back), then proves the copy by comparing entry counts and checksums.
 *
 *   npm run kv:migrate -- --from embedded --to etcd [--endpoints URLS] [--data-dir DIR]
 *                         [--namespace PREFIX] [--dry-run] [--replace] [--help]
 *
 * Defaults come from the configuration (NEXUS_DATA_DIR, NEXUS_ETCD_ENDPOINTS).
 * Stop the API and workers first: writes made during the copy fail verification.
 * Locks are not copied (they are leases). Prints one `kv-migrate …` line per step
 * on stdout and a progress bar on stderr for stores over 1 000 entries.
 * Exit codes: 0 copied (or dry run), 1 failed, 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { BaseConfig, loadConfigOrExit } from '@nexus/core';
import type { CopyProgress, KvStore, SnapshotSummary } from '@nexus/raft-kv';
import { EtcdKvStore, LmdbKvStore, copyStore, embeddedKvPath } from '@nexus/raft-kv';

type Engine = 'embedded' | 'etcd';
const ENGINES: readonly Engine[] = ['embedded', 'etcd'];
const PROGRESS_THRESHOLD = 1_000;

class UsageError extends Error {}

/** `--help` text: every flag parseOptions accepts, with its meaning. */
const KV_MIGRATE_USAGE = `Usage: npm run kv:migrate -- --from ENGINE --to ENGINE [options]

Copies the raft-kv store from one engine to the other (embedded LMDB <-> etcd), then
verifies the copy (entry counts and checksums). Stop the API and workers first.

  --from ENGINE        Engine to copy from: embedded or etcd.
  --to ENGINE          Engine to copy into: embedded or etcd (not the same as --from).
  --endpoints URLS     Comma-separated etcd client URLs (default: NEXUS_ETCD_ENDPOINTS).
  --data-dir DIR       Data directory of the embedded store, DIR/kv (default: NEXUS_DATA_DIR).
  --namespace PREFIX   Key prefix inside etcd, ending in / (default: nexus/kv/).
  --dry-run            Read and summarise the source; write nothing.
  --replace            Overwrite a target that already holds data (refused otherwise).
  -h, --help           Print this help and exit 0.

Exit codes: 0 copied (or dry run), 1 failed, 2 bad arguments.
`;

interface Options {
  from: Engine;
  to: Engine;
  dataDir: string;
  endpoints: string[];
  namespace?: string;
  dryRun: boolean;
  replace: boolean;
}

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  'data-dir': { type: 'string' },
  endpoints: { type: 'string' },
  namespace: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  replace: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Strict parse of the command line; unknown flags and missing values throw (exit 2). */
function parseFlags(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
}

function parseOptions(values: ReturnType<typeof parseFlags>, config: BaseConfig): Options {
  const engine = (name: string, value: string | undefined): Engine => {
    if (!ENGINES.includes(value as Engine)) throw new UsageError(`--${name} must be one of: ${ENGINES.join(', ')}`);
    return value as Engine;
  };
  const from = engine('from', values.from);
  const to = engine('to', values.to);
  if (from === to) throw new UsageError('--from and --to must name different engines');
  const endpoints = values.endpoints?.split(',').map((url) => url.trim()).filter(Boolean) ?? config.NEXUS_ETCD_ENDPOINTS ?? [];
  if (endpoints.length === 0) throw new UsageError('etcd endpoints are needed: pass --endpoints or set NEXUS_ETCD_ENDPOINTS');
  return {
    from,
    to,
    dataDir: values['data-dir'] ?? config.NEXUS_DATA_DIR,
    endpoints,
    namespace: values.namespace,
    dryRun: values['dry-run'] ?? false,
    replace: values.replace ?? false,
  };
}

function open(engine: Engine, options: Options): { store: KvStore; where: string } {
  if (engine === 'etcd') {
    return { store: new EtcdKvStore({ endpoints: options.endpoints, namespace: options.namespace }), where: options.endpoints.join(',') };
  }
  const path = embeddedKvPath(options.dataDir);
  return { store: LmdbKvStore.open({ path }), where: path };
}

function describe(summary: SnapshotSummary): string {
  const tables = Object.entries(summary.tables).map(([table, count]) => `${table}:${count}`);
  return `entries=${summary.entries} checksum=${summary.checksum} tables=${tables.join(',') || '-'}`;
}

/** A bar redrawn in place on a terminal, or a line per tenth elsewhere. */
function progressBar(): (progress: CopyProgress) => void {
  let lastTenth = -1;
  return ({ entries, total }) => {
    if (total < PROGRESS_THRESHOLD) return;
    const share = total === 0 ? 1 : entries / total;
    const line = `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] ${Math.floor(share * 100)}% ${entries}/${total} entries`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${entries === total ? '\n' : ''}`);
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

function usageError(error: unknown): number {
  process.stderr.write(`kv-migrate: ${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
}

async function main(): Promise<number> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    return usageError(error);
  }
  if (flags.help) {
    // Before the configuration is read: help works whatever the environment holds.
    process.stdout.write(KV_MIGRATE_USAGE);
    return 0;
  }
  const config = loadConfigOrExit(BaseConfig);
  let options: Options;
  try {
    options = parseOptions(flags, config);
  } catch (error) {
    return usageError(error);
  }
  const source = open(options.from, options);
  const target = open(options.to, options);
  try {
    process.stdout.write(`kv-migrate from=${options.from}:${source.where} to=${options.to}:${target.where}${options.dryRun ? ' dry-run' : ''}\n`);
    const report = await copyStore(source.store, target.store, {
      dryRun: options.dryRun,
      replace: options.replace,
      onProgress: progressBar(),
      progressEvery: 250,
    });
    process.stdout.write(`kv-migrate source ${describe(report.source)}\n`);
    if (report.dryRun) {
      process.stdout.write(`kv-migrate dry-run: would copy ${report.source.entries} entries; nothing written\n`);
    } else if (report.target) {
      process.stdout.write(`kv-migrate target ${describe(report.target)}\n`);
      process.stdout.write(`kv-migrate verified: counts and checksums match\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`kv-migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await Promise.allSettled([source.store.close(), target.store.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kv-migrate crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
