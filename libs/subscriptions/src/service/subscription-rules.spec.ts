import { ValidationError } from '@nexus/core';
import { EMPTY_ALLOW_LIST, parseAllowList } from '../delivery/allow-list';
import { checkedEventTypes, checkedPatterns, checkedUrl } from './subscription-rules';

const settings = { allowHttp: false, allowList: EMPTY_ALLOW_LIST, rotationHours: 24 };
const known = new Map([
  ['file_write', 'filesystem'],
  ['file_delete', 'filesystem'],
]);

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('accepted');
}

describe('subscription rules', () => {
  it('normalises an accepted URL and names the rule of a refused one', () => {
    expect(checkedUrl('https://Hooks.Example.com/a', settings)).toBe('https://hooks.example.com/a');
    expect(refusal(() => checkedUrl('https://0x7f.1/', settings)).details).toEqual({
      field: 'url',
      rule: 'loopback',
    });
    expect(refusal(() => checkedUrl('http://hooks.example.com/', settings)).message).toContain(
      '(rule: scheme)',
    );
    const allowed = { ...settings, allowHttp: true, allowList: parseAllowList('127.0.0.1') };
    expect(checkedUrl('http://127.0.0.1:9000/', allowed)).toBe('http://127.0.0.1:9000/');
  });

  it('takes known event types and *, without repeats', () => {
    expect(checkedEventTypes(['file_write', '*', 'file_write'], known)).toEqual(['file_write', '*']);
    const error = refusal(() => checkedEventTypes(['file_delete', 'file_exploded'], known));
    expect(error.code).toBe('UNKNOWN_EVENT_TYPE');
    expect(error.details).toMatchObject({ field: 'eventTypes[1]', eventType: 'file_exploded' });
  });

  it.each(['/src/[unclosed', '/a/{b,c', '/a/(b', '[z-a]'])('refuses the glob %s naming its index', (glob) => {
    const error = refusal(() => checkedPatterns(['/ok/**', glob]));
    expect(error.code).toBe('INVALID_PATTERN');
    expect(error.details).toEqual({ field: 'patterns[1]' });
  });

  it('takes globs that compile, without repeats', () => {
    expect(checkedPatterns(['/docs/**', '/**/*.md', '/docs/**', '/a/{b,c}/[0-9]'])).toEqual([
      '/docs/**',
      '/**/*.md',
      '/a/{b,c}/[0-9]',
    ]);
  });
});
