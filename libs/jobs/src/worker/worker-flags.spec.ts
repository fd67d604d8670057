import { jobBudgetOf, parseWorkerFlags } from './worker-flags';

describe('worker flags', () => {
  it('defaults to an unbounded run with concurrency 4', () => {
    expect(parseWorkerFlags([])).toEqual({ once: false, maxJobs: null, concurrency: 4 });
    expect(jobBudgetOf(parseWorkerFlags([]))).toBeNull();
  });

  it('parses --once, --max-jobs N, --max-jobs=N and --concurrency N', () => {
    expect(jobBudgetOf(parseWorkerFlags(['--once']))).toBe(1);
    expect(parseWorkerFlags(['--max-jobs', '3', '--concurrency', '2'])).toEqual({ once: false, maxJobs: 3, concurrency: 2 });
    expect(parseWorkerFlags(['--max-jobs=7']).maxJobs).toBe(7);
  });

  it('refuses bad values and unknown flags', () => {
    expect(() => parseWorkerFlags(['--max-jobs'])).toThrow(/--max-jobs/);
    expect(() => parseWorkerFlags(['--concurrency', '0'])).toThrow(/--concurrency/);
    expect(() => parseWorkerFlags(['--max-jobs', 'x'])).toThrow(/--max-jobs/);
    expect(() => parseWorkerFlags(['--fast'])).toThrow(/unknown worker flag --fast/);
  });
});
