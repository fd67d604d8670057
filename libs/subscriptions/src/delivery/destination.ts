// The one decision both save time and connect time make: may this host, at
// these addresses, receive a webhook? Every address counts, because a client
// (ours or a retry after failover) could connect to any of them.
import { isForbiddenAddress } from './address-policy';
import type { AddressRule } from './address-policy';
import { allowsAddress, allowsHost } from './allow-list';
import type { AllowList } from './allow-list';

export interface DestinationRefusal {
  readonly address: string;
  readonly rule: AddressRule;
}

/** Returns the first refused address with its rule, or null when all may be used. */
export function refuseDestination(
  host: string,
  addresses: readonly string[],
  allowList: AllowList,
): DestinationRefusal | null {
  if (allowsHost(allowList, host)) return null;
  for (const address of addresses) {
    if (allowsAddress(allowList, address)) continue;
    const rule = isForbiddenAddress(address);
    if (rule) return { address, rule };
  }
  return null;
}
