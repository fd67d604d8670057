import { RebacTables1795306399165 } from './1795306399165-RebacTables';
import { RebacReadPaths1796234000000 } from './1796234000000-RebacReadPaths';

export const REBAC_MIGRATIONS = [RebacTables1795306399165, RebacReadPaths1796234000000];
