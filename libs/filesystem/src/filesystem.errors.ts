import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '@nexus/core';

/** Stable codes of every error the filesystem raises on purpose. */
export const FsErrorCode = {
  /** A path that breaks the path rules or a URL that does not decode to one. */
  InvalidPath: 'INVALID_PATH',
  /** A content hash that is not a lower-case hex SHA-256. */
  InvalidHash: 'INVALID_HASH',
  /** A byte range outside the blob (the HTTP layer answers it as 416). */
  InvalidRange: 'INVALID_RANGE',
  RangeNotSatisfiable: 'RANGE_NOT_SATISFIABLE',
  InvalidBase64: 'INVALID_BASE64',
  /** The same path twice in one batch write. */
  DuplicatePath: 'DUPLICATE_PATH',
  FileNotFound: 'FILE_NOT_FOUND',
  ParentNotFound: 'PARENT_NOT_FOUND',
  VersionNotFound: 'VERSION_NOT_FOUND',
  BlobNotFound: 'BLOB_NOT_FOUND',
  LockNotFound: 'LOCK_NOT_FOUND',
  AlreadyExists: 'ALREADY_EXISTS',
  NotADirectory: 'NOT_A_DIRECTORY',
  IsADirectory: 'IS_A_DIRECTORY',
  DirectoryNotEmpty: 'DIRECTORY_NOT_EMPTY',
  /** `/` cannot be removed, moved or replaced. */
  RootImmutable: 'ROOT_IMMUTABLE',
  /** A move or copy of a directory into itself. */
  InvalidMove: 'INVALID_MOVE',
  /** What the request rested on changed while it ran: the client may retry as is. */
  ConcurrentChange: 'CONCURRENT_CHANGE',
  NotText: 'NOT_TEXT',
  /** A text edit whose `find` is not in the file. */
  EditMismatch: 'EDIT_MISMATCH',
  /** A text edit whose `find` occurs more than once, without `all`. */
  EditAmbiguous: 'EDIT_AMBIGUOUS',
  PermissionDenied: 'PERMISSION_DENIED',
  /** If-Match or If-None-Match not satisfied. */
  PreconditionFailed: 'PRECONDITION_FAILED',
} as const;
export type FsErrorCode = (typeof FsErrorCode)[keyof typeof FsErrorCode];

export function invalidHash(): ValidationError {
  return new ValidationError(
    'Invalid content hash: expected 64 lower-case hex characters (SHA-256)',
    undefined,
    FsErrorCode.InvalidHash,
  );
}

export function invalidRange(range: { start: number; end?: number }, size: number): ValidationError {
  return new ValidationError(
    `Range not satisfiable for a blob of ${size} bytes`,
    { start: range.start, end: range.end ?? null, size },
    FsErrorCode.InvalidRange,
  );
}

/** `index` is the entry's position in a batch write. */
export function invalidBase64(index: number): ValidationError {
  return new ValidationError(
    `write ${index}: content is not valid base64`,
    { index },
    FsErrorCode.InvalidBase64,
  );
}

export function duplicatePath(index: number, path: string): ValidationError {
  return new ValidationError(
    `write ${index}: ${path} appears more than once`,
    { index, path },
    FsErrorCode.DuplicatePath,
  );
}

export function fileNotFound(path: string): NotFoundError {
  return new NotFoundError(`${path} does not exist`, FsErrorCode.FileNotFound, { path });
}

export function parentNotFound(path: string): NotFoundError {
  return new NotFoundError(`Parent directory of ${path} does not exist`, FsErrorCode.ParentNotFound, {
    path,
  });
}

export function versionNotFound(path: string, version: number): NotFoundError {
  return new NotFoundError(`${path} has no version ${version}`, FsErrorCode.VersionNotFound, {
    path,
    version,
  });
}

export function blobNotFound(hash: string): NotFoundError {
  return new NotFoundError(`Blob ${hash} not found`, FsErrorCode.BlobNotFound, { hash });
}

export function lockNotFound(path: string): NotFoundError {
  return new NotFoundError(`${path} is not locked`, FsErrorCode.LockNotFound, { path });
}

export function alreadyExists(path: string): ConflictError {
  return new ConflictError(`${path} already exists`, FsErrorCode.AlreadyExists, { path });
}

export function notADirectory(path: string): ConflictError {
  return new ConflictError(`${path} is a file, not a directory`, FsErrorCode.NotADirectory, { path });
}

export function isADirectory(path: string): ConflictError {
  return new ConflictError(`${path} is a directory`, FsErrorCode.IsADirectory, { path });
}

export function directoryNotEmpty(path: string): ConflictError {
  return new ConflictError(`${path} is not empty`, FsErrorCode.DirectoryNotEmpty, { path });
}

/** `/` has no row and always exists: it cannot be removed, moved or replaced. */
export function rootImmutable(action: 'removed' | 'moved' | 'replaced' | 'given metadata'): ConflictError {
  return new ConflictError(`/ cannot be ${action}`, FsErrorCode.RootImmutable, { path: '/' });
}

export function invalidMove(from: string, to: string, copying: boolean): ConflictError {
  return new ConflictError(
    `${from} cannot be ${copying ? 'copied' : 'moved'} into itself`,
    FsErrorCode.InvalidMove,
    { from, to },
  );
}

/** `happened` tells the client what changed under the request (it reads "<path> <happened>; retry"). */
export function concurrentChange(path: string, happened = 'changed concurrently'): ConflictError {
  return new ConflictError(`${path} ${happened}; retry`, FsErrorCode.ConcurrentChange, { path });
}

export function notText(path: string): ConflictError {
  return new ConflictError(`${path} is not a UTF-8 text file`, FsErrorCode.NotText, { path });
}

/** `index` is the edit's position in the request. */
export function editMismatch(path: string, index: number): ConflictError {
  return new ConflictError(`edit ${index}: the text to find is not in ${path}`, FsErrorCode.EditMismatch, {
    path,
    index,
  });
}

export function editAmbiguous(path: string, index: number, occurrences: number): ConflictError {
  return new ConflictError(
    `edit ${index}: the text to find occurs ${occurrences} times in ${path}; make it unique or set all`,
    FsErrorCode.EditAmbiguous,
    { path, index, occurrences },
  );
}

/** `etag` is the current one (null: the file does not exist). */
export function preconditionFailed(
  path: string,
  header: 'If-Match' | 'If-None-Match',
  etag: string | null,
): PreconditionFailedError {
  const message = header === 'If-Match' ? `${path} does not match If-Match` : `${path} matches If-None-Match`;
  return new PreconditionFailedError(message, FsErrorCode.PreconditionFailed, { path, etag });
}
