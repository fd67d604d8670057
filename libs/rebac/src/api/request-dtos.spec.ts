import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BatchCheckRequestDto, CheckRequestDto } from './check.dto';
import { ListSubjectsRequestDto } from './list.dto';
import { ReadTuplesQueryDto, WriteTuplesRequestDto } from './tuples.dto';

function errors<T extends object>(type: new () => T, body: unknown): string[] {
  return validateSync(plainToInstance(type, body) as object).map((error) => error.property);
}

const check = {
  object: { type: 'file', id: '/a b/#c.md' },
  relation: 'viewer',
  subject: { type: 'user', id: 'anne' },
};

describe('rebac DTOs', () => {
  it('accept a well-formed check, with structured ids that contain separators', () => {
    expect(
      errors(CheckRequestDto, { ...check, consistency: { mode: 'at_least_as_fresh', token: 'abc' } }),
    ).toEqual([]);
  });

  it('reject null or malformed subjects and unknown consistency modes', () => {
    expect(errors(CheckRequestDto, { ...check, subject: null })).toContain('subject');
    expect(errors(CheckRequestDto, { ...check, subject: { type: 'us er', id: 'a' } })).toContain('subject');
    expect(errors(CheckRequestDto, { ...check, relation: 'a#b' })).toContain('relation');
    expect(errors(CheckRequestDto, { ...check, consistency: { mode: 'eventually' } })).toContain(
      'consistency',
    );
  });

  it('cap batch checks at 1,000', () => {
    expect(errors(BatchCheckRequestDto, { checks: [check] })).toEqual([]);
    expect(errors(BatchCheckRequestDto, { checks: Array.from({ length: 1001 }, () => check) })).toContain(
      'checks',
    );
    expect(errors(BatchCheckRequestDto, { checks: [] })).toContain('checks');
  });

  it('validate writes, deletes and preconditions as tuples', () => {
    const tuple = {
      object: check.object,
      relation: 'viewer',
      subject: { type: 'group', id: 'eng', relation: 'member' },
    };
    expect(
      errors(WriteTuplesRequestDto, {
        writes: [tuple],
        deletes: [tuple],
        preconditions: { absent: [tuple] },
      }),
    ).toEqual([]);
    expect(errors(WriteTuplesRequestDto, { writes: [{ ...tuple, subject: {} }] })).toContain('writes');
  });

  it('need at least one subject filter for list-subjects', () => {
    expect(
      errors(ListSubjectsRequestDto, { object: check.object, relation: 'viewer', subjectFilters: [] }),
    ).toContain('subjectFilters');
    expect(
      errors(ListSubjectsRequestDto, {
        object: check.object,
        relation: 'viewer',
        subjectFilters: [{ type: 'user' }],
        limit: 10,
      }),
    ).toEqual([]);
  });

  it('need an object type with an object id when reading tuples', () => {
    expect(errors(ReadTuplesQueryDto, { objectId: '/a' })).toContain('objectType');
    expect(errors(ReadTuplesQueryDto, { objectType: 'file', objectId: '/a', limit: '20' })).toEqual([]);
  });
});
