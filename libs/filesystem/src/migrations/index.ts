import { FilesystemTables1795313543181 } from './1795313543181-FilesystemTables';
import { FileEventsToOutbox1796220810314 } from './1796220810314-FileEventsToOutbox';
import { OperationLogRetentionIndex1796235957971 } from './1796235957971-OperationLogRetentionIndex';
import { FileMetadataAndTags1796283220151 } from './1796283220151-FileMetadataAndTags';

export const FILESYSTEM_MIGRATIONS = [
  FilesystemTables1795313543181,
  FileEventsToOutbox1796220810314,
  OperationLogRetentionIndex1796235957971,
  FileMetadataAndTags1796283220151,
];
