import { FileContentController } from './file-content.controller';
import { FsContentOpsController } from './fs-content-ops.controller';
import { FsLocksController } from './fs-locks.controller';
import { FsMetadataController } from './fs-metadata.controller';
import { FsMetadataUpdateController } from './fs-metadata-update.controller';
import { FsTreeController } from './fs-tree.controller';
import { RawUploadInstaller } from './raw-upload';

/** The REST surface of the filesystem (FilesystemModule.forApi()). */
export const FILESYSTEM_CONTROLLERS = [
  FileContentController,
  FsMetadataController,
  FsMetadataUpdateController,
  FsTreeController,
  FsContentOpsController,
  FsLocksController,
];

/** HTTP plumbing the controllers need. */
export const FILESYSTEM_HTTP_PROVIDERS = [RawUploadInstaller];
