import { JobsTables1795306792958 } from './1795306792958-JobsTables';
import { JobProgress1796283566040 } from './1796283566040-JobProgress';

export const JOBS_MIGRATIONS = [JobsTables1795306792958, JobProgress1796283566040];
