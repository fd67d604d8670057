import { SearchTables1796283750532 } from './1796283750532-SearchTables';
import { FullTextPostings1796300189520 } from './1796300189520-FullTextPostings';
import { BinaryPostings1796400000000 } from './1796400000000-BinaryPostings';
import { SearchEmbeddings1796450000000 } from './1796450000000-SearchEmbeddings';

export const SEARCH_MIGRATIONS = [
  SearchTables1796283750532,
  FullTextPostings1796300189520,
  BinaryPostings1796400000000,
  SearchEmbeddings1796450000000,
];
