export * from './file-path.entity';
export * from './file-version.entity';
export * from './content-blob.entity';
export * from './operation-log.entity';

import { ContentBlob } from './content-blob.entity';
import { FilePath } from './file-path.entity';
import { FileVersion } from './file-version.entity';
import { OperationLogEntry } from './operation-log.entity';

export const FILESYSTEM_ENTITIES = [FilePath, FileVersion, ContentBlob, OperationLogEntry];
export * from './bigint-number.transformer';
