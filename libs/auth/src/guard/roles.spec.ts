import { ROLES } from '@nexus/core';
import type { Role } from '@nexus/core';
import { roleAllows, roleRank } from './roles';

/** held × required → allowed, written out so a reordering of ROLES cannot go unnoticed. */
const EXPECTED: Array<[Role, Role, boolean]> = [
  ['viewer', 'viewer', true],
  ['viewer', 'editor', false],
  ['viewer', 'operator', false],
  ['viewer', 'admin', false],
  ['editor', 'viewer', true],
  ['editor', 'editor', true],
  ['editor', 'operator', false],
  ['editor', 'admin', false],
  ['operator', 'viewer', true],
  ['operator', 'editor', true],
  ['operator', 'operator', true],
  ['operator', 'admin', false],
  ['admin', 'viewer', true],
  ['admin', 'editor', true],
  ['admin', 'operator', true],
  ['admin', 'admin', true],
];

describe('roles', () => {
  it('covers every pair of roles', () => {
    expect(EXPECTED).toHaveLength(ROLES.length * ROLES.length);
  });

  it.each(EXPECTED)('%s meets %s: %s', (held, required, allowed) => {
    expect(roleAllows(held, required)).toBe(allowed);
  });

  it('ranks viewer < editor < operator < admin', () => {
    expect([roleRank('viewer'), roleRank('editor'), roleRank('operator'), roleRank('admin')]).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('never lets an unknown role through', () => {
    expect(roleAllows('root' as Role, 'viewer')).toBe(false);
  });
});
