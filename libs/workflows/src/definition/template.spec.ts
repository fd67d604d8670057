import { leadingField, renderTemplate, TemplateError, templateFields, templateLiteral } from './template';

describe('templateFields', () => {
  it.each([
    ['plain text', []],
    ['', []],
    ['{{path}}', ['path']],
    ['{{ path }}.bak', ['path']],
    ['/archive/{{event.type}}/{{  name  }}', ['event.type', 'name']],
    ['{{name}}-{{name}}-{{stem}}', ['name', 'stem']],
    ['{{nope}}', ['nope']],
    ['a } b }} c', []],
    ['{{name}}}', ['name']],
  ])('%j names %j', (text, fields) => {
    expect(templateFields(text)).toEqual(fields);
  });

  it.each([
    ['{{path', /unclosed "\{\{" at offset 0/],
    ['/a/{{name}}/{{stem', /unclosed "\{\{" at offset 12/],
    ['{{ {{name}}', /unclosed/],
    ['{{}}', /empty placeholder/],
    ['{{   }}', /empty placeholder/],
  ])('refuses %j', (text, message) => {
    expect(() => templateFields(text)).toThrow(TemplateError);
    expect(() => templateFields(text)).toThrow(message);
  });
});

describe('templateLiteral and leadingField', () => {
  it('drops the placeholders and finds a leading one', () => {
    expect(templateLiteral('{{dir}}/copies/{{ name }}')).toBe('/copies/');
    expect(leadingField('{{ dir }}/copies')).toBe('dir');
    expect(leadingField('/x/{{dir}}')).toBeUndefined();
    expect(leadingField('')).toBeUndefined();
  });
});

describe('renderTemplate', () => {
  const values = { path: '/a/b.md', name: 'b.md', stem: 'b', 'event.type': 'file_write' };

  it('fills in values verbatim', () => {
    expect(renderTemplate('{{path}}.bak', values)).toBe('/a/b.md.bak');
    expect(renderTemplate('/x/{{ event.type }}/{{stem}}-{{stem}}', values)).toBe('/x/file_write/b-b');
    expect(renderTemplate('no placeholders', {})).toBe('no placeholders');
    expect(renderTemplate('{{name}}', { name: '{{path}} $& $1' })).toBe('{{path}} $& $1');
  });

  it('refuses a field without a value rather than leaving it empty', () => {
    expect(() => renderTemplate('/x/{{version}}', values)).toThrow('no value for template field "version"');
    expect(() => renderTemplate('{{toString}}', values)).toThrow(TemplateError);
    expect(() => renderTemplate('{{path', values)).toThrow(/unclosed/);
  });

  it('renders an empty string value as empty (it is a value)', () => {
    expect(renderTemplate('[{{name}}]', { name: '' })).toBe('[]');
  });
});
