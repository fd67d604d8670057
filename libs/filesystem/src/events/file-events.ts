/** The events the filesystem writes to the outbox, one per user-visible change. */
export const FILE_EVENT_TYPES = [
  'file_write',
  'file_delete',
  'file_rename',
  'dir_create',
  'dir_delete',
  'metadata_change',
] as const;
export type FileEventType = (typeof FILE_EVENT_TYPES)[number];
