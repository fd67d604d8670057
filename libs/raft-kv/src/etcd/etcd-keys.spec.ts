import fc from 'fast-check';
import { EtcdKeyspace } from './etcd-keys';

describe('EtcdKeyspace', () => {
  const keys = new EtcdKeyspace('nexus/kv/');

  it('places table keys under <namespace>t/<table>/', () => {
    expect(keys.key('sm_metadata', Buffer.from('zone/a')).toString()).toBe('nexus/kv/t/sm_metadata/zone/a');
    expect(keys.tableEnd('sm_metadata').toString()).toBe('nexus/kv/t/sm_metadata0');
  });

  it('parses its own keys back, and nothing else', () => {
    expect(keys.parse(Buffer.from('nexus/kv/t/revisions/zone-1'))).toEqual({
      table: 'revisions',
      key: Uint8Array.from(Buffer.from('zone-1')),
    });
    expect(keys.parse(Buffer.from('other/t/revisions/zone-1'))).toBeUndefined();
    expect(keys.parse(Buffer.from('nexus/kv/t/'))).toBeUndefined();
    expect(keys.parse(Buffer.from('nexus/kv/t/noslash'))).toBeUndefined();
  });

  it('sorts tables by name, then keys by bytes, as the embedded engine does', () => {
    const table = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
    const key = fc.uint8Array({ minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(table, key, table, key, (tableA, keyA, tableB, keyB) => {
        const expected = tableA === tableB ? Buffer.compare(keyA, keyB) : tableA < tableB ? -1 : 1;
        expect(Math.sign(Buffer.compare(keys.key(tableA, keyA), keys.key(tableB, keyB)))).toBe(expected);
        expect(Buffer.compare(keys.key(tableA, keyA), keys.tableEnd(tableA))).toBeLessThan(0);
      }),
    );
  });

  it('needs a namespace ending in a slash', () => {
    expect(() => new EtcdKeyspace('nexus')).toThrow(/must end with/);
    expect(() => new EtcdKeyspace('')).toThrow(/must end with/);
  });
});
