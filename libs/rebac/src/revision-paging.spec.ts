import { DomainError } from '@nexus/core';
import { pageLimit, pageSorted } from './paging';
import { decodeRevision, encodeRevision } from './revision';

describe('revision tokens', () => {
  it('round-trip revisions, including 0 and the largest bigint ids', () => {
    for (const revision of [0n, 1n, 123456789n, 9223372036854775807n]) {
      const token = encodeRevision(revision);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeRevision(token)).toBe(revision);
    }
  });

  it.each([
    '',
    'garbage',
    Buffer.from('{"rev":"-1"}').toString('base64url'),
    Buffer.from('{"rev":"1e9"}').toString('base64url'),
    'x'.repeat(200),
  ])('refuses %p with INVALID_REVISION_TOKEN', (token) => {
    expect(() => decodeRevision(token)).toThrow(
      expect.objectContaining({ code: 'INVALID_REVISION_TOKEN' }) as DomainError,
    );
  });
});

describe('paging a complete sorted list', () => {
  const items = Array.from({ length: 25 }, (_, i) => `id-${String(i).padStart(2, '0')}`);

  it('walks every item exactly once, in order', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = pageSorted(items, (x) => x, 10, cursor);
      expect(page.total).toBe(25);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(items);
  });

  it('continues after the last key even when the list changed between pages', () => {
    const first = pageSorted(items, (x) => x, 5, undefined);
    const changed = items.filter((x) => x !== 'id-05');
    const second = pageSorted(changed, (x) => x, 5, first.nextCursor ?? undefined);
    expect(second.items[0]).toBe('id-06');
  });

  it('validates limits and cursors', () => {
    expect(pageLimit(undefined)).toBe(50);
    expect(() => pageLimit(0)).toThrow(DomainError);
    expect(() => pageLimit(1001)).toThrow(DomainError);
    expect(() => pageSorted(items, (x) => x, 5, 'not a cursor')).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }) as DomainError,
    );
  });
});
