import { JobsTables1795306792958 } from './1795306792958-JobsTables';

export const JOBS_MIGRATIONS = [JobsTables1795306792958];
