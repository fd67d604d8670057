import picomatch from 'picomatch';
import { ANY_EVENT_TYPE } from '@nexus/core';

/** What matching reads of a subscription. */
export interface SubscriptionFilter {
  eventTypes: readonly string[];
  patterns: readonly string[];
}

/** What matching reads of an event: its type and the payload's `path` and `from` (a move's source). */
export interface MatchableEvent {
  type: string;
  payload: Record<string, unknown>;
}

type Matcher = (path: string) => boolean;

// Compiled globs by source: a zone's subscriptions share few patterns, and compiling costs far more than matching.
const compiled = new Map<string, Matcher>();
const MAX_COMPILED = 10_000;

function matcherOf(pattern: string): Matcher {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    // dot: `/**` means every path, dot-files included; the options checkedPatterns validated with.
    matcher = picomatch(pattern, { dot: true, strictBrackets: true, windows: false });
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, matcher);
  }
  return matcher;
}

/**
 * Whether a subscription wants an event: its type is listed (or `*` is), and when
 * the subscription has path globs, the event's path or a move's source matches one.
 * An event without a path passes only a subscription without globs.
 */
export function subscriptionWants(subscription: SubscriptionFilter, event: MatchableEvent): boolean {
  if (!subscription.eventTypes.includes(event.type) && !subscription.eventTypes.includes(ANY_EVENT_TYPE)) {
    return false;
  }
  if (subscription.patterns.length === 0) return true;
  const paths = [event.payload['path'], event.payload['from']].filter(
    (path): path is string => typeof path === 'string',
  );
  return subscription.patterns.some((pattern) => {
    const matches = matcherOf(pattern);
    return paths.some((path) => matches(path));
  });
}
