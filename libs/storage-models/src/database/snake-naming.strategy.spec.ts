import fc from 'fast-check';
import { SnakeNamingStrategy, snakeCase } from './snake-naming.strategy';

/** TypeScript-style identifiers: what entity class and property names look like. */
const identifier = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,30}$/);

describe('snakeCase', () => {
  it.each([
    ['zoneId', 'zone_id'],
    ['etagURL', 'etag_url'],
    ['HTTPServer', 'http_server'],
    ['already_snake', 'already_snake'],
    ['id', 'id'],
    ['AuditLogEntry', 'audit_log_entry'],
    ['leaseExpiresAt', 'lease_expires_at'],
    ['sha256Hash', 'sha256_hash'],
    ['parseHTTPResponseCode', 'parse_http_response_code'],
    ['URL', 'url'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });

  it('never leaves an uppercase letter', () => {
    fc.assert(
      fc.property(identifier, (name) => {
        expect(snakeCase(name)).not.toMatch(/[A-Z]/);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(identifier, (name) => {
        const once = snakeCase(name);
        expect(snakeCase(once)).toBe(once);
      }),
    );
  });

  it('only lowercases and inserts underscores: removing underscores gives the lowercased input', () => {
    fc.assert(
      fc.property(identifier, (name) => {
        expect(snakeCase(name).replace(/_/g, '')).toBe(name.toLowerCase().replace(/_/g, ''));
      }),
    );
  });

  it('turns camelCase words (two or more characters each) back into snake_case words', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/), { minLength: 1, maxLength: 5 }),
        (words) => {
          const camel = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('');
          expect(snakeCase(camel)).toBe(words.join('_'));
        },
      ),
    );
  });
});

describe('SnakeNamingStrategy', () => {
  const strategy = new SnakeNamingStrategy();

  it('names tables after the class in snake_case unless a name is given', () => {
    expect(strategy.tableName('AuditLogEntry', undefined)).toBe('audit_log_entry');
    expect(strategy.tableName('HTTPRequestLog', undefined)).toBe('http_request_log');
    expect(strategy.tableName('AuditLogEntry', 'audit_log')).toBe('audit_log');
  });

  it('names columns in snake_case', () => {
    expect(strategy.columnName('zoneId', undefined, [])).toBe('zone_id');
    expect(strategy.columnName('etagURL', undefined, [])).toBe('etag_url');
    expect(strategy.columnName('id', undefined, [])).toBe('id');
  });

  it('keeps a given snake_case column name', () => {
    expect(strategy.columnName('zoneId', 'owning_zone', [])).toBe('owning_zone');
  });

  it('prefixes embedded columns with their snake_cased embedding path', () => {
    expect(strategy.columnName('streetName', undefined, ['homeAddress'])).toBe('home_address_street_name');
    expect(strategy.columnName('id', undefined, ['outer', 'innerThing'])).toBe('outer_inner_thing_id');
  });

  it('names relations and join columns in snake_case', () => {
    expect(strategy.relationName('ownerZone')).toBe('owner_zone');
    expect(strategy.joinColumnName('zone', 'id')).toBe('zone_id');
    expect(strategy.joinColumnName('parentDirectory', 'id')).toBe('parent_directory_id');
    expect(strategy.joinColumnName('owner', 'subjectId')).toBe('owner_subject_id');
  });

  it('names join tables and their columns in snake_case', () => {
    expect(strategy.joinTableName('user', 'group', 'memberGroups')).toBe('user_member_groups_group');
    expect(strategy.joinTableName('file', 'tag', 'meta.tags')).toBe('file_meta_tags_tag');
    expect(strategy.joinTableColumnName('auditLog', 'id')).toBe('audit_log_id');
    expect(strategy.joinTableColumnName('user', 'id', 'subjectId')).toBe('user_subject_id');
  });

  it('produces no uppercase letter for any column, join column or join table name', () => {
    fc.assert(
      fc.property(identifier, identifier, fc.array(identifier, { maxLength: 3 }), (a, b, prefixes) => {
        for (const name of [
          strategy.columnName(a, undefined, prefixes),
          strategy.relationName(a),
          strategy.joinColumnName(a, b),
          strategy.joinTableName(a, b, a),
          strategy.joinTableColumnName(a, b),
        ]) {
          expect(name).not.toMatch(/[A-Z]/);
        }
      }),
    );
  });
});
