import { Expose } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig } from './base.config';
import { EnvInt } from './env.decorators';

/** Configuration of the background worker process. */
export class WorkerConfig extends BaseConfig {
  /** How long SIGTERM lets running work finish before the worker exits. */
  @Expose()
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(600_000)
  NEXUS_SHUTDOWN_GRACE_MS = 10_000;
}
