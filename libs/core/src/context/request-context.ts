import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal';

export interface RequestContextStore {
  requestId: string;
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestContextStore>();

/** Per-request state that follows async calls: the request id and, once authenticated, the Principal. */
export const RequestContext = {
  run<T>(store: RequestContextStore, fn: () => T): T {
    return storage.run(store, fn);
  },
  current(): RequestContextStore | undefined {
    return storage.getStore();
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  principal(): Principal | undefined {
    return storage.getStore()?.principal;
  },
  /** Attaches the authenticated Principal to the current request. */
  setPrincipal(principal: Principal): void {
    const store = storage.getStore();
    if (!store) throw new Error('setPrincipal called outside a request context');
    store.principal = principal;
  },
};
