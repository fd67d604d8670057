import type { FilePath } from '../entities/file-path.entity';
import type { FileStat } from '../fs.types';

export function toFileStat(row: FilePath): FileStat {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    kind: row.kind,
    size: Number(row.size),
    contentHash: row.contentHash,
    mimeType: row.mimeType,
    version: row.version,
    etag: row.etag,
    owner: row.owner,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    metadata: row.metadata ?? {},
    tags: row.tags ?? [],
  };
}

/** `/` always exists and has no row. */
export const ROOT_STAT: FileStat = {
  id: null,
  path: '/',
  name: '',
  kind: 'dir',
  size: 0,
  contentHash: null,
  mimeType: null,
  version: 0,
  etag: null,
  owner: null,
  createdAt: null,
  updatedAt: null,
  metadata: {},
  tags: [],
};
