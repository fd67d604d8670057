import { parseArgs } from 'node:util';

export interface WorkerFlags {
  /** Process at most one job, then exit. */
  once: boolean;
  /** Process at most this many jobs, then exit. */
  maxJobs: number | null;
  concurrency: number;
  /** Print WORKER_USAGE and exit 0. */
  help: boolean;
}

export const DEFAULT_CONCURRENCY = 4;
const MAX_JOBS_LIMIT = 1_000_000;
const CONCURRENCY_LIMIT = 256;

/** `--help` text: every flag the parser below accepts, with its meaning. */
export const WORKER_USAGE = `Usage: node apps/worker/src/main.ts [--once | --max-jobs N] [--concurrency N]
       (from source with -r @swc-node/register; \`npm start\` runs one worker with the API)

Runs Nexus background jobs from the queue until SIGTERM (which drains running jobs).

  --once             Process at most one job, then exit 0 (also when none is due).
  --max-jobs N       Process at most N jobs (1-${MAX_JOBS_LIMIT}), then exit 0; stops early when
                     nothing is left to do. Periodic jobs are not scheduled by bounded runs.
  --concurrency N    Jobs run at the same time (1-${CONCURRENCY_LIMIT}, default ${DEFAULT_CONCURRENCY}).
  -h, --help         Print this help and exit 0.

Exit codes: 0 done (bounded run or SIGTERM), 64 bad flags, 78 bad configuration or
metrics port in use, 1 any other failure. Configuration comes from the environment
(see the README); /metrics and /healthz are served on
NEXUS_WORKER_METRICS_HOST:NEXUS_WORKER_METRICS_PORT (0 = off).
`;

const FLAG_HINT = 'use --once, --max-jobs N, --concurrency N or --help';

function positiveInt(flag: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new Error(`${flag} needs a whole number between 1 and ${max}`);
  }
  return Number(value);
}

/** parseArgs' own messages are long and name no fix; this names the flag and what it wants. */
function usageMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^'\s=<]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown worker flag ${flag} (${FLAG_HINT})`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''} (${FLAG_HINT})`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (flag === '--max-jobs') return `--max-jobs needs a whole number between 1 and ${MAX_JOBS_LIMIT}`;
    if (flag === '--concurrency')
      return `--concurrency needs a whole number between 1 and ${CONCURRENCY_LIMIT}`;
    return `${flag} takes no value`;
  }
  return message;
}

/** Parses the worker's flags strictly (node:util parseArgs); anything unknown or malformed throws. */
export function parseWorkerFlags(argv: readonly string[]): WorkerFlags {
  let values: { once?: boolean; 'max-jobs'?: string; concurrency?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        once: { type: 'boolean' },
        'max-jobs': { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(usageMessage(error));
  }
  return {
    once: values.once ?? false,
    maxJobs:
      values['max-jobs'] === undefined ? null : positiveInt('--max-jobs', values['max-jobs'], MAX_JOBS_LIMIT),
    concurrency:
      values.concurrency === undefined
        ? DEFAULT_CONCURRENCY
        : positiveInt('--concurrency', values.concurrency, CONCURRENCY_LIMIT),
    help: values.help ?? false,
  };
}

/** How many jobs this run may process: 1 with --once, N with --max-jobs, unbounded otherwise. */
export function jobBudgetOf(flags: WorkerFlags): number | null {
  if (flags.once) return 1;
  return flags.maxJobs;
}
