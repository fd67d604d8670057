import { AuthTables1795306269937 } from './1795306269937-AuthTables';

export const AUTH_MIGRATIONS = [AuthTables1795306269937];
