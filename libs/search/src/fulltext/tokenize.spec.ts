import { SYNONYM_GROUP_COUNT, synonymsOf } from './synonyms';
import { MAX_TERM_LENGTH, analyze, analyzeQueryTerm, camelParts, tokenize } from './tokenize';

const termsOf = (text: string) => tokenize(text).map((t) => t.terms);

describe('analyze', () => {
  it('maps stemmed, lowercased terms to token ordinals', () => {
    expect(analyze('Running runs; the RUNNER ran!')).toEqual(
      new Map([
        ['run', [0, 1]],
        ['the', [2]],
        ['runner', [3]],
        ['ran', [4]],
      ]),
    );
  });

  it('keeps stop words', () => {
    expect([...analyze('to be or not to be').keys()]).toEqual(['to', 'be', 'or', 'not']);
  });

  it.each<[string, string[]]>([
    ['parseConfig', ['parseconfig', 'pars', 'config']],
    ['HTTPServer', ['httpserver', 'http', 'server']],
    ['XMLHttpRequest', ['xmlhttprequest', 'xml', 'http', 'request']],
    ['utf8Decoder', ['utf8decoder', 'utf8', 'decod']],
    ['HTTP2Server', ['http2server', 'http2', 'server']],
    ['parse_config', ['parse_config', 'pars', 'config']],
    ['parse-config', ['parse-config', 'pars', 'config']],
    ['os.path.join', ['os.path.join', 'os', 'path', 'join']],
    [
      'my_module.parseHTTPHeaders',
      ['my_module.parsehttpheaders', 'my', 'modul', 'parsehttphead', 'pars', 'http', 'header'],
    ],
    ['URLs', ['url']],
    ['IDs', ['id']],
    ['v1.2.3', ['v1.2.3', 'v1', '2', '3']],
  ])('splits the identifier %s into whole and parts at one position', (text, expected) => {
    const tokens = tokenize(text);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.terms).toEqual(expected);
  });

  it('gives parts the position of their identifier', () => {
    const postings = analyze('call getUserName now');
    expect(postings.get('getusernam')).toEqual([1]);
    expect(postings.get('user')).toEqual([1]);
    expect(postings.get('name')).toEqual([1]);
    expect(postings.get('now')).toEqual([2]);
  });

  it.each<[string, string[][]]>([
    ['end. Next', [['end'], ['next']]],
    ['a - b', [['a'], ['b']]],
    ['__init__', [['init']]],
    ['--verbose', [['verbos']]],
    ["don't", [['don'], ['t']]],
    ['foo/bar', [['foo'], ['bar']]],
  ])('treats punctuation outside identifiers as a separator: %s', (text, expected) => {
    expect(termsOf(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['Ｈｅｌｌｏ', 'hello'], // fullwidth letters fold under NFKC
    ['ﬁle', 'file'], // the fi ligature
    ['cafe\u0301', 'café'], // a combining accent stays in its word, composed
    ['ΣΟΦΙΑ', 'σοφια'], // other scripts are lowercased but not stemmed
    ['日本語', '日本語'],
  ])('normalises %s to %s', (text, expected) => {
    expect(termsOf(text)).toEqual([[expected]]);
  });

  it('does not stem terms with digits or non-ASCII letters', () => {
    expect(termsOf('runs2 naïveties')).toEqual([['runs2'], ['naïveties']]);
  });

  it('drops terms over 64 characters but keeps their position', () => {
    const blob = 'a'.repeat(MAX_TERM_LENGTH + 1);
    const postings = analyze(`before ${blob} after`);
    expect(postings.has(blob)).toBe(false);
    expect(postings.get('after')).toEqual([2]);
    expect(analyze('x'.repeat(MAX_TERM_LENGTH)).size).toBe(1);
  });

  it('keeps the parts of an identifier too long to index whole', () => {
    const long = `${'segment_'.repeat(9)}end`;
    expect(tokenize(long)[0]?.terms).toEqual(['segment', 'end']);
  });

  it('reports source offsets', () => {
    const text = '  hello, wörld';
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(['hello', 'wörld']);
  });

  it('returns nothing for text without letters or digits', () => {
    expect(analyze(' -- ... !!! ').size).toBe(0);
  });
});

describe('camelParts', () => {
  it.each<[string, string[]]>([
    ['parseConfig', ['parse', 'Config']],
    ['ParseConfig', ['Parse', 'Config']],
    ['HTTPServer', ['HTTP', 'Server']],
    ['getURLsForUser', ['get', 'URLs', 'For', 'User']],
    ['iPhone', ['i', 'Phone']],
    ['lowercase', []],
    ['UPPER', []],
  ])('%s -> %j', (segment, parts) => {
    expect(camelParts(segment)).toEqual(parts);
  });
});

describe('analyzeQueryTerm', () => {
  it.each<[string, string[]]>([
    ['running', ['run']],
    ['parseConfig', ['parseconfig', 'pars', 'config', 'configur', 'cfg', 'conf', 'set']],
    ['deleted', ['delet', 'remov', 'rm', 'del', 'eras']],
    ['db', ['db', 'databas']],
    ['errors', ['error', 'err']],
    ['settings', ['set', 'config', 'configur', 'cfg', 'conf']],
    ['init', ['init', 'initi', 'initialis']],
    ['--', []],
  ])('%s -> %j', (word, expected) => {
    expect(analyzeQueryTerm(word)).toEqual(expected);
  });

  it('puts the typed word first', () => {
    expect(analyzeQueryTerm('Authentication')[0]).toBe('authent');
  });

  it('does not expand a common word that only shares a stem with a synonym', () => {
    expect(analyzeQueryTerm('set')).toEqual(['set']);
    expect(synonymsOf('sets')).toEqual([]);
  });

  it('expands to terms the index actually contains', () => {
    const indexed = new Set(analyze('Remove the database configuration').keys());
    for (const word of ['delete', 'db', 'config']) {
      expect(analyzeQueryTerm(word).some((t) => indexed.has(t))).toBe(true);
    }
  });
});

describe('synonym table', () => {
  it('stays a small list', () => {
    expect(SYNONYM_GROUP_COUNT).toBeGreaterThanOrEqual(30);
    expect(SYNONYM_GROUP_COUNT).toBeLessThanOrEqual(40);
  });

  it('is symmetric within a group', () => {
    expect(synonymsOf('auth')).toEqual(synonymsOf('authentication'));
    expect(synonymsOf('directory')).toContain('dir');
    expect(synonymsOf('dir')).toContain('directori');
  });
});
