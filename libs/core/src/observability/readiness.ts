import { Injectable } from '@nestjs/common';

/** A dependency the process needs to serve: PostgreSQL, Redis, later raft-kv. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export interface CheckResult {
  status: 'ok' | 'down';
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Modules register their dependency checks here; /readyz runs them all in parallel. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check): Promise<[string, CheckResult]> => {
        try {
          await withTimeout(check.check(), check.name);
          return [check.name, { status: 'ok' }];
        } catch (error) {
          return [check.name, { status: 'down', error: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(entries);
    return { ready: entries.every(([, result]) => result.status === 'ok'), checks };
  }
}
