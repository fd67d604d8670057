import { SearchTables1796283750532 } from './1796283750532-SearchTables';
import { FullTextPostings1796300189520 } from './1796300189520-FullTextPostings';

export const SEARCH_MIGRATIONS = [SearchTables1796283750532, FullTextPostings1796300189520];
