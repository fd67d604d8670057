import { parseAllowList } from './allow-list';
import { validateWebhookUrl } from './webhook-url';

describe('validateWebhookUrl', () => {
  it('accepts an https URL with a public host', () => {
    const result = validateWebhookUrl('https://hooks.example.com:8443/in?x=1');
    expect(result).toEqual({ ok: true, url: new URL('https://hooks.example.com:8443/in?x=1') });
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://10.0.0.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'metadata'],
    ['https://[fd00:ec2::254]/', 'metadata'],
    ['https://0x7f.1/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://017700000001/', 'loopback'],
    ['https://127.1/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://[::ffff:a9fe:a9fe]/', 'metadata'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://100.64.0.1/', 'cgnat'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://[fc00::1]/', 'unique-local'],
    ['https://localhost/', 'loopback'],
    ['https://LOCALHOST./', 'loopback'],
    ['https://api.localhost/', 'loopback'],
  ])('refuses %s (rule %s) with a message naming the rule', (url, rule) => {
    const result = validateWebhookUrl(url);
    expect(result).toMatchObject({ ok: false, rule });
    expect(!result.ok && result.message).toContain(`rule: ${rule}`);
  });

  it('allows http only when allowHttp is set', () => {
    expect(validateWebhookUrl('http://hooks.example.com/')).toMatchObject({ ok: false, rule: 'scheme' });
    expect(validateWebhookUrl('http://hooks.example.com/', { allowHttp: true })).toMatchObject({ ok: true });
  });

  it.each([
    'ftp://hooks.example.com/',
    'file:///etc/passwd',
    'ws://hooks.example.com/',
    'javascript:alert(1)',
  ])('refuses scheme of %s even with allowHttp', (url) => {
    expect(validateWebhookUrl(url, { allowHttp: true })).toMatchObject({ ok: false, rule: 'scheme' });
  });

  it('refuses user info', () => {
    expect(validateWebhookUrl('https://user:pass@hooks.example.com/')).toMatchObject({
      ok: false,
      rule: 'userinfo',
    });
    expect(validateWebhookUrl('https://user@hooks.example.com/')).toMatchObject({
      ok: false,
      rule: 'userinfo',
    });
  });

  it('refuses what is not an absolute URL', () => {
    expect(validateWebhookUrl('/relative')).toMatchObject({ ok: false, rule: 'invalid-url' });
    expect(validateWebhookUrl('https://[::1/')).toMatchObject({ ok: false, rule: 'invalid-url' });
  });

  it('accepts forbidden literals and localhost once allow-listed', () => {
    const byCidr = parseAllowList('127.0.0.0/8,::1');
    expect(validateWebhookUrl('https://127.0.0.1/', { allowList: byCidr })).toMatchObject({ ok: true });
    expect(validateWebhookUrl('https://0x7f.1/', { allowList: byCidr })).toMatchObject({ ok: true });
    expect(validateWebhookUrl('https://[::ffff:127.0.0.1]/', { allowList: byCidr })).toMatchObject({
      ok: true,
    });
    expect(validateWebhookUrl('https://[::1]/', { allowList: byCidr })).toMatchObject({ ok: true });
    expect(validateWebhookUrl('https://localhost/', { allowList: byCidr })).toMatchObject({ ok: true });
    expect(validateWebhookUrl('https://10.0.0.1/', { allowList: byCidr })).toMatchObject({
      ok: false,
      rule: 'private',
    });
    expect(
      validateWebhookUrl('https://localhost/', { allowList: parseAllowList('localhost') }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('leaves host names to the connect-time check', () => {
    expect(validateWebhookUrl('https://resolves-to-loopback.example/')).toMatchObject({ ok: true });
  });
});
