import { SearchTables1796283750532 } from './1796283750532-SearchTables';

export const SEARCH_MIGRATIONS = [SearchTables1796283750532];
