import { create as formatContentDisposition } from 'content-disposition';

/**
 * Types a browser may show in place: with `X-Content-Type-Options: nosniff`
 * none of them runs script. Everything else is downloaded: HTML, SVG, XHTML,
 * XML (which can carry HTML or scripts), JavaScript, PDF (its viewers run
 * embedded scripts), and any type not listed here.
 */
const INLINE_TYPES: ReadonlySet<string> = new Set([
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'audio/flac',
  'audio/aac',
  'audio/mp4',
  'video/mp4',
  'video/webm',
  'video/ogg',
]);

export type DispositionType = 'inline' | 'attachment';

/** `inline` only for the allow-listed types; the media type is compared without parameters or case. */
export function dispositionTypeFor(mimeType: string | null): DispositionType {
  const essence = mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return INLINE_TYPES.has(essence) ? 'inline' : 'attachment';
}

/**
 * The Content-Disposition of a file's content: its type by dispositionTypeFor,
 * and its name as a quoted filename plus, when not plain ASCII, an RFC 5987
 * `filename*` (RFC 6266).
 */
export function contentDispositionFor(name: string, mimeType: string | null): string {
  return formatContentDisposition(name || undefined, { type: dispositionTypeFor(mimeType) });
}
