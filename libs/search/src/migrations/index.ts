import { SearchTables1796283750532 } from './1796283750532-SearchTables';
import { FullTextPostings1796299416841 } from './1796299416841-FullTextPostings';

export const SEARCH_MIGRATIONS = [SearchTables1796283750532, FullTextPostings1796299416841];
