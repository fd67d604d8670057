import { ANY_EVENT_TYPE } from '@nexus/core';
import picomatch from 'picomatch';
import { validateWebhookUrl } from '../delivery/webhook-url';
import type { SubscriptionSettings } from '../settings/subscription-settings';
import { invalidPattern, invalidWebhookUrl, unknownEventType } from '../subscriptions.errors';

/** The URL as validateWebhookUrl normalises it, or a 400 naming the rule it breaks. */
export function checkedUrl(url: string, settings: Pick<SubscriptionSettings, 'allowHttp' | 'allowList'>): string {
  const result = validateWebhookUrl(url, { allowHttp: settings.allowHttp, allowList: settings.allowList });
  if (!result.ok) throw invalidWebhookUrl(result.rule, result.message);
  return result.url.href;
}

/** The types without repeats, each one some mounted domain writes (or `*`); else a 400 naming `eventTypes[i]`. */
export function checkedEventTypes(types: readonly string[], known: ReadonlyMap<string, string>): string[] {
  types.forEach((type, index) => {
    if (type !== ANY_EVENT_TYPE && !known.has(type)) throw unknownEventType(index, type, [...known.keys()]);
  });
  return [...new Set(types)];
}

/** The globs without repeats, each one picomatch compiles (balanced brackets); else a 400 naming `patterns[i]`. */
export function checkedPatterns(patterns: readonly string[]): string[] {
  patterns.forEach((pattern, index) => {
    try {
      // strictBrackets: an unbalanced [ ] ( ) { } is an error, not a literal; debug: a bad regex throws.
      picomatch.makeRe(pattern, { strictBrackets: true, debug: true, windows: false });
    } catch (error) {
      throw invalidPattern(index, (error as Error).message);
    }
  });
  return [...new Set(patterns)];
}
