// Typed delivery failures. The worker records them on the delivery row: a
// refusal is a policy decision (the rule is shown to the subscriber), a network
// error is an ordinary failed attempt that the retry schedule handles.
import type { UrlRule } from './webhook-url';

export type DeliveryNetworkReason = 'dns' | 'timeout' | 'tls' | 'connection';

export class DeliveryRefusedError extends Error {
  override readonly name = 'DeliveryRefusedError';

  constructor(
    readonly rule: UrlRule,
    message: string,
    /** The refused resolved address, when the refusal came from DNS. */
    readonly address?: string,
  ) {
    super(message);
  }
}

export class DeliveryNetworkError extends Error {
  override readonly name = 'DeliveryNetworkError';

  constructor(
    readonly reason: DeliveryNetworkReason,
    message: string,
    /** The system/OpenSSL error code (ECONNREFUSED, CERT_HAS_EXPIRED, ...) when there was one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
