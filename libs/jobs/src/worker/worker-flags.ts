export interface WorkerFlags {
  /** Process at most one job, then exit with the count. */
  once: boolean;
  /** Process at most this many jobs, then exit with the count. */
  maxJobs: number | null;
  concurrency: number;
}

export const DEFAULT_CONCURRENCY = 4;

function positiveInt(flag: string, value: string | undefined, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new Error(`${flag} needs a whole number between 1 and ${max}`);
  }
  return Number(value);
}

/** Parses `--once`, `--max-jobs N` (or `=N`) and `--concurrency N`; anything else is an error. */
export function parseWorkerFlags(argv: readonly string[]): WorkerFlags {
  const flags: WorkerFlags = { once: false, maxJobs: null, concurrency: DEFAULT_CONCURRENCY };
  for (let i = 0; i < argv.length; i += 1) {
    const [name, inline] = (argv[i] ?? '').split('=', 2) as [string, string | undefined];
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (name === '--once') flags.once = true;
    else if (name === '--max-jobs') flags.maxJobs = positiveInt('--max-jobs', value(), 1_000_000);
    else if (name === '--concurrency') flags.concurrency = positiveInt('--concurrency', value(), 256);
    else throw new Error(`unknown worker flag ${name} (use --once, --max-jobs N, --concurrency N)`);
  }
  return flags;
}

/** How many jobs this run may process: 1 with --once, N with --max-jobs, unbounded otherwise. */
export function jobBudgetOf(flags: WorkerFlags): number | null {
  if (flags.once) return 1;
  return flags.maxJobs;
}
