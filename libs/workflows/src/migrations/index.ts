import { Workflows1796414660452 } from './1796414660452-Workflows';

export const WORKFLOWS_MIGRATIONS = [Workflows1796414660452];
