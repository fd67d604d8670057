import { parse } from 'content-disposition';
import { contentDispositionFor, dispositionTypeFor } from './content-disposition-policy';

describe('dispositionTypeFor', () => {
  it.each([
    'text/plain',
    'text/csv',
    'text/markdown',
    'application/json',
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'audio/mpeg',
    'video/mp4',
  ])('shows %s inline', (type) => {
    expect(dispositionTypeFor(type)).toBe('inline');
  });

  it.each([
    'text/html',
    'image/svg+xml',
    'application/xhtml+xml',
    'application/xml',
    'text/xml',
    'text/javascript',
    'application/javascript',
    'text/css',
    'application/pdf',
    'application/octet-stream',
    'application/x-nexus-unknown',
    'multipart/x-mixed-replace',
    '',
  ])('downloads %p', (type) => {
    expect(dispositionTypeFor(type)).toBe('attachment');
  });

  it('downloads content of no recorded type', () => {
    expect(dispositionTypeFor(null)).toBe('attachment');
  });

  it('compares the media type without parameters, case or blanks', () => {
    expect(dispositionTypeFor(' Text/Plain ; charset=utf-8')).toBe('inline');
    expect(dispositionTypeFor('TEXT/HTML; charset=utf-8')).toBe('attachment');
    // Only the whole essence counts: a listed type as a prefix is not the listed type.
    expect(dispositionTypeFor('text/plainx')).toBe('attachment');
    expect(dispositionTypeFor('image/png+svg')).toBe('attachment');
  });
});

describe('contentDispositionFor', () => {
  it('names an ASCII file with a plain filename parameter', () => {
    expect(contentDispositionFor('notes.txt', 'text/plain')).toBe('inline; filename=notes.txt');
    expect(contentDispositionFor('my page.html', 'text/html')).toBe('attachment; filename="my page.html"');
  });

  it('escapes quotes and backslashes in the quoted filename', () => {
    const header = contentDispositionFor('say "hi" \\ bye.txt', 'text/plain');
    expect(parse(header)).toEqual({ type: 'inline', parameters: { filename: 'say "hi" \\ bye.txt' } });
  });

  it('adds an RFC 5987 filename* for a non-ASCII name, with an ASCII fallback', () => {
    const header = contentDispositionFor('résumé 📄.pdf', 'application/pdf');
    expect(header).toBe(
      `attachment; filename="r?sum? ??.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%F0%9F%93%84.pdf`,
    );
    // A client that understands filename* gets the real name back.
    expect(parse(header).parameters.filename).toBe('résumé 📄.pdf');
  });

  it('keeps header-breaking characters out of the header', () => {
    const header = contentDispositionFor('a;b,c=d\r\nSet-Cookie: x.svg', 'image/svg+xml');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.startsWith('attachment;')).toBe(true);
  });
});
