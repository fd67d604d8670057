import type { KvStore } from '../kv-store';
import { describeCoordinationContract } from './contract/coordination.contract';
import type { ContractContext } from './contract/context';
import { describeDataContract } from './contract/data.contract';
import { describeSnapshotContract } from './contract/snapshot.contract';
import { describeWatchContract } from './contract/watch.contract';

/** How a test file gives the contract stores of one engine. */
export interface KvStoreFactory {
  /** Once per file, e.g. start an etcd member. */
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  /** A new, empty store (its own directory or namespace). */
  create(): Promise<KvStore>;
  /** Another handle on the data of `store`, as a second process would open it. */
  sibling(store: KvStore): Promise<KvStore>;
}

/**
 * The behaviour every KvStore engine must show, run by the embedded and the
 * etcd integration tests against the real engines (never mocks).
 */
export function describeKvStoreContract(name: string, factory: KvStoreFactory): void {
  describe(`KvStore contract: ${name}`, () => {
    let current: KvStore | undefined;
    const opened: KvStore[] = [];

    const context: ContractContext = {
      store: () => {
        if (!current) throw new Error('no store: the contract creates one before each test');
        return current;
      },
      sibling: async () => {
        const sibling = await factory.sibling(context.store());
        opened.push(sibling);
        return sibling;
      },
      fresh: async () => {
        const store = await factory.create();
        opened.push(store);
        return store;
      },
    };

    beforeAll(async () => {
      await factory.setUp?.();
    });

    beforeEach(async () => {
      current = await factory.create();
      opened.push(current);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      current = undefined;
    });

    afterAll(async () => {
      await factory.tearDown?.();
    });

    describeDataContract(context);
    describeCoordinationContract(context);
    describeWatchContract(context);
    describeSnapshotContract(context);
  });
}
