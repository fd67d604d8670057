import { RebacTables1795306399165 } from './1795306399165-RebacTables';

export const REBAC_MIGRATIONS = [RebacTables1795306399165];
