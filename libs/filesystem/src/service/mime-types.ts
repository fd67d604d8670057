const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'text/x-typescript',
  py: 'text/x-python',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  xml: 'application/xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
};

export const DEFAULT_MIME_TYPE = 'application/octet-stream';

/** The client's declared type when it is a real one, else a guess from the extension. */
export function mimeTypeFor(path: string, declared?: string | null): string {
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== DEFAULT_MIME_TYPE && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type))
    return type.slice(0, 255);
  const dot = path.lastIndexOf('.');
  if (dot <= path.lastIndexOf('/')) return DEFAULT_MIME_TYPE;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()] ?? DEFAULT_MIME_TYPE;
}

/** Text types get line diffs and utf8 edits. */
export function isTextType(mimeType: string | null): boolean {
  if (!mimeType) return false;
  return mimeType.startsWith('text/') || /(json|yaml|xml|javascript|typescript)/.test(mimeType);
}
