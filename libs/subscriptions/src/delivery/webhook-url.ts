// Save-time validation of a subscription's URL. It cannot replace the
// connect-time check (DNS answers change), but it rejects what is wrong on its
// face with a 400 naming the rule: a non-https scheme, credentials in the URL,
// and literal IPs in forbidden ranges, including odd IPv4 spellings
// (0x7f.1, 2130706433) that the WHATWG parser normalises to 127.0.0.1.
import type { AddressRule } from './address-policy';
import { parseIp } from './address-policy';
import { EMPTY_ALLOW_LIST, normaliseHost } from './allow-list';
import type { AllowList } from './allow-list';
import { refuseDestination } from './destination';

export type UrlRule = 'invalid-url' | 'scheme' | 'userinfo' | 'missing-host' | AddressRule;

export interface WebhookUrlOptions {
  /** NEXUS_WEBHOOK_ALLOW_HTTP=true: also accept http:// (local receivers, tests). */
  readonly allowHttp?: boolean;
  readonly allowList?: AllowList;
}

export type WebhookUrlResult =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly rule: UrlRule; readonly message: string };

/** The URL host without IPv6 brackets, as used for address checks and connecting. */
export function bareHost(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

export function validateWebhookUrl(input: string | URL, options: WebhookUrlOptions = {}): WebhookUrlResult {
  const allowList = options.allowList ?? EMPTY_ALLOW_LIST;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse('invalid-url', 'the webhook URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowHttp === true)) {
    return refuse(
      'scheme',
      options.allowHttp === true
        ? 'the webhook URL must use https:// or http://'
        : 'the webhook URL must use https:// (http:// needs NEXUS_WEBHOOK_ALLOW_HTTP=true)',
    );
  }
  // Credentials in a URL end up in logs and delivery records; the secret is for signing.
  if (url.username !== '' || url.password !== '') {
    return refuse('userinfo', 'the webhook URL must not contain a user name or password');
  }
  const host = bareHost(url);
  if (host === '') return refuse('missing-host', 'the webhook URL has no host');

  if (parseIp(host)) {
    const refusal = refuseDestination(host, [host], allowList);
    if (refusal) {
      return refuse(refusal.rule, `the webhook URL's address ${host} is not allowed (rule: ${refusal.rule})`);
    }
    return { ok: true, url };
  }
  // RFC 6761: "localhost" and "*.localhost" always mean loopback; no need to wait for DNS.
  const name = normaliseHost(host);
  // Allowed when the name, or a loopback address it may resolve to, is allow-listed.
  if (name === 'localhost' || name.endsWith('.localhost')) {
    const refused = ['127.0.0.1', '::1'].every((address) => refuseDestination(name, [address], allowList));
    if (refused) return refuse('loopback', `the webhook URL's host ${host} is not allowed (rule: loopback)`);
  }
  return { ok: true, url };
}

function refuse(rule: UrlRule, message: string): WebhookUrlResult {
  return { ok: false, rule, message };
}
