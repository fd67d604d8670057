import { WORKER_USAGE, jobBudgetOf, parseWorkerFlags } from './worker-flags';

describe('worker flags', () => {
  it('defaults to an unbounded run with concurrency 4', () => {
    expect(parseWorkerFlags([])).toEqual({ once: false, maxJobs: null, concurrency: 4, help: false });
    expect(jobBudgetOf(parseWorkerFlags([]))).toBeNull();
  });

  it('parses --once, --max-jobs N, --max-jobs=N and --concurrency N', () => {
    expect(jobBudgetOf(parseWorkerFlags(['--once']))).toBe(1);
    expect(parseWorkerFlags(['--max-jobs', '3', '--concurrency', '2'])).toEqual({
      once: false,
      maxJobs: 3,
      concurrency: 2,
      help: false,
    });
    expect(parseWorkerFlags(['--max-jobs=7']).maxJobs).toBe(7);
    expect(jobBudgetOf(parseWorkerFlags(['--max-jobs=7']))).toBe(7);
    expect(parseWorkerFlags(['--concurrency=256']).concurrency).toBe(256);
  });

  it('parses --help and -h', () => {
    expect(parseWorkerFlags(['--help']).help).toBe(true);
    expect(parseWorkerFlags(['-h']).help).toBe(true);
  });

  it('refuses bad values, naming the flag', () => {
    expect(() => parseWorkerFlags(['--max-jobs'])).toThrow(
      /^--max-jobs needs a whole number between 1 and 1000000$/,
    );
    expect(() => parseWorkerFlags(['--max-jobs', '--once'])).toThrow(/^--max-jobs needs a whole number/);
    expect(() => parseWorkerFlags(['--max-jobs', 'x'])).toThrow(/^--max-jobs needs a whole number/);
    expect(() => parseWorkerFlags(['--max-jobs', '0'])).toThrow(/^--max-jobs needs a whole number/);
    expect(() => parseWorkerFlags(['--max-jobs', '1.5'])).toThrow(/^--max-jobs needs a whole number/);
    expect(() => parseWorkerFlags(['--concurrency', '0'])).toThrow(
      /^--concurrency needs a whole number between 1 and 256$/,
    );
    expect(() => parseWorkerFlags(['--concurrency=257'])).toThrow(/^--concurrency needs a whole number/);
    expect(() => parseWorkerFlags(['--once=yes'])).toThrow(/^--once takes no value$/);
  });

  it('refuses unknown flags and positional arguments', () => {
    expect(() => parseWorkerFlags(['--fast'])).toThrow(
      /^unknown worker flag --fast \(use --once, --max-jobs N, --concurrency N or --help\)$/,
    );
    expect(() => parseWorkerFlags(['-x'])).toThrow(/^unknown worker flag -x /);
    expect(() => parseWorkerFlags(['run'])).toThrow(/^unexpected argument run /);
  });

  it('lists every flag with its meaning in the usage text', () => {
    for (const flag of ['--once', '--max-jobs N', '--concurrency N', '-h, --help']) {
      expect(WORKER_USAGE).toMatch(new RegExp(`^  ${flag.replace(/[-,]/g, '\\$&')} +\\S`, 'm'));
    }
  });
});
