import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, PaginationQueryDto } from './pagination.dto';

function parse(query: Record<string, unknown>): { dto: PaginationQueryDto; invalid: string[] } {
  const dto = plainToInstance(PaginationQueryDto, query);
  const invalid = validateSync(dto).map((error) => error.property);
  return { dto, invalid };
}

describe('PaginationQueryDto', () => {
  it('defaults the limit to 50 and the cursor to none', () => {
    const { dto, invalid } = parse({});

    expect(DEFAULT_PAGE_LIMIT).toBe(50);
    expect(dto.limit).toBe(50);
    expect(dto.cursor).toBeUndefined();
    expect(invalid).toEqual([]);
  });

  it.each([
    ['1', 1],
    ['20', 20],
    ['1000', 1000],
  ])('accepts limit %p as the number %p', (limit, expected) => {
    const { dto, invalid } = parse({ limit });

    expect(dto.limit).toBe(expected);
    expect(invalid).toEqual([]);
  });

  it.each(['0', '-5', '1001', 'abc', '1.5', '10abc'])('rejects limit %p', (limit) => {
    expect(parse({ limit }).invalid).toEqual(['limit']);
  });

  it('caps the limit at MAX_PAGE_LIMIT', () => {
    expect(MAX_PAGE_LIMIT).toBe(1000);
    expect(parse({ limit: String(MAX_PAGE_LIMIT + 1) }).invalid).toEqual(['limit']);
  });

  it('accepts a cursor of up to 2048 characters', () => {
    const { dto, invalid } = parse({ cursor: 'c'.repeat(2048) });

    expect(invalid).toEqual([]);
    expect(dto.cursor).toHaveLength(2048);
  });

  it('rejects a longer cursor or one that is not a string', () => {
    expect(parse({ cursor: 'c'.repeat(2049) }).invalid).toEqual(['cursor']);
    expect(parse({ cursor: 12 }).invalid).toEqual(['cursor']);
  });
});
