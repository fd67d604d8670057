import fc from 'fast-check';
import type { LoggedChange } from './change-log';
import { decodeChanges, encodeChanges, matching } from './change-log';

const changeArb: fc.Arbitrary<LoggedChange> = fc.oneof(
  fc.record({
    type: fc.constant('put' as const),
    table: fc.constantFrom('t', 'sm_metadata', 'revisions'),
    key: fc.uint8Array({ minLength: 1, maxLength: 20 }),
    value: fc.uint8Array({ maxLength: 50 }),
  }),
  fc.record({
    type: fc.constant('delete' as const),
    table: fc.constantFrom('t', 'other'),
    key: fc.uint8Array({ minLength: 1, maxLength: 20 }),
  }),
);

const plain = (changes: LoggedChange[]) =>
  changes.map((change) => ({
    ...change,
    key: Buffer.from(change.key).toString('hex'),
    value: change.value && Buffer.from(change.value).toString('hex'),
  }));

describe('change log records', () => {
  it('round-trip any list of changes', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 10 }), (changes) => {
        expect(plain(decodeChanges(encodeChanges(changes)))).toEqual(plain(changes));
      }),
    );
  });

  it('keep an empty put value distinct from a delete', () => {
    const [put, del] = decodeChanges(
      encodeChanges([
        { type: 'put', table: 't', key: Buffer.from('k'), value: new Uint8Array(0) },
        { type: 'delete', table: 't', key: Buffer.from('k') },
      ]),
    );
    expect(put).toMatchObject({ type: 'put', value: new Uint8Array(0) });
    expect(del?.type).toBe('delete');
    expect(del).not.toHaveProperty('value');
  });

  it('select what a watcher of a table and prefix wants, stamped with the revision', () => {
    const logged = {
      revision: 7n,
      changes: [
        { type: 'put' as const, table: 't', key: Buffer.from('a/1'), value: Buffer.from('x') },
        { type: 'put' as const, table: 't', key: Buffer.from('b/1'), value: Buffer.from('y') },
        { type: 'delete' as const, table: 'u', key: Buffer.from('a/2') },
        { type: 'delete' as const, table: 't', key: Buffer.from('a') },
      ],
    };

    expect(
      matching(logged, 't', Buffer.from('a/')).map((change) => [
        Buffer.from(change.key).toString(),
        change.revision,
      ]),
    ).toEqual([['a/1', 7n]]);
    expect(matching(logged, 't', new Uint8Array(0))).toHaveLength(3);
    expect(matching(logged, 'v', new Uint8Array(0))).toEqual([]);
  });
});
