import { composeDomains } from './compose-domains';
import { ANY_EVENT_TYPE, defineDomain, defineEventConsumer, defineJobType } from './domain-definition';

class PayloadA {}
class EntityA {}
class EntityB {}
class MigrationA1700000000000 {}
class MigrationB1700000000001 {}

const jobA = defineJobType({ type: 'a.work', payload: PayloadA, summary: 'a' });
const base = defineDomain({
  name: 'base',
  entities: [EntityA],
  migrations: [MigrationA1700000000000],
  jobTypes: [jobA],
  eventTypes: ['a_happened'],
  apiModule: () => ({ module: class BaseApi {} }),
});
const dependent = defineDomain({
  name: 'dependent',
  entities: [EntityB],
  migrations: [MigrationB1700000000001],
  eventTypes: ['b_happened'],
  requires: [base],
  workerModule: () => ({ module: class DependentWorker {} }),
});

describe('composeDomains', () => {
  it('pulls in required domains first, once, and gathers what each declares', () => {
    const composed = composeDomains([dependent, base]);

    expect(composed.domains.map((domain) => domain.name)).toEqual(['base', 'dependent']);
    expect(composed.entities).toEqual([EntityA, EntityB]);
    expect(composed.migrations).toEqual([MigrationA1700000000000, MigrationB1700000000001]);
    expect(composed.jobTypes.get('a.work')).toMatchObject({ payload: PayloadA, domain: 'base' });
    expect([...composed.eventTypes]).toEqual([
      ['a_happened', 'base'],
      ['b_happened', 'dependent'],
    ]);
    expect(composed.apiModules).toHaveLength(1);
    expect(composed.workerModules).toHaveLength(1);
  });

  it('refuses two domains of one name', () => {
    expect(() => composeDomains([base, { ...base }])).toThrow(
      /Domain name base is declared by both base and base/,
    );
  });

  it('refuses a job type, event type, entity or migration claimed by two domains', () => {
    const clash = (overrides: object) =>
      composeDomains([base, defineDomain({ ...dependent, requires: [], ...overrides })]);

    expect(() => clash({ jobTypes: [jobA] })).toThrow(
      /Job type a\.work is declared by both base and dependent/,
    );
    expect(() => clash({ eventTypes: ['a_happened'] })).toThrow(/Event type a_happened is declared by both/);
    expect(() => clash({ entities: [EntityA] })).toThrow(/entity EntityA is declared by both/);
    expect(() => clash({ migrations: [MigrationA1700000000000] })).toThrow(
      /migration MigrationA1700000000000/,
    );
  });

  it('refuses domains that require each other', () => {
    const first: { requires: unknown[] } & ReturnType<typeof defineDomain> = {
      ...base,
      name: 'first',
      requires: [],
    };
    const second = defineDomain({ ...dependent, name: 'second', requires: [first] });
    first.requires.push(second);

    expect(() => composeDomains([first])).toThrow(/cycle: first -> second -> first/);
  });

  it('gathers event consumers and refuses one that wants an event type nobody writes, or a clash', () => {
    class Indexer {}
    const consumer = defineEventConsumer({
      name: 'dependent.index',
      eventTypes: ['a_happened', 'b_happened'],
      handler: Indexer,
      summary: 'indexes',
    });
    const consuming = defineDomain({
      name: 'consuming',
      entities: [],
      migrations: [],
      requires: [dependent],
      eventConsumers: [consumer],
    });
    const composed = composeDomains([consuming]);
    expect(composed.eventConsumers.get('dependent.index')).toMatchObject({
      domain: 'consuming',
      handler: Indexer,
    });

    const wantsEverything = defineDomain({
      name: 'everything',
      entities: [],
      migrations: [],
      eventConsumers: [{ ...consumer, name: 'everything.deliver', eventTypes: [ANY_EVENT_TYPE] }],
    });
    expect(composeDomains([wantsEverything]).eventConsumers.get('everything.deliver')?.eventTypes).toEqual([
      ANY_EVENT_TYPE,
    ]);

    const wantsUnknown = defineDomain({
      name: 'lonely',
      entities: [],
      migrations: [],
      requires: [base],
      eventConsumers: [{ ...consumer, name: 'lonely.index' }],
    });
    expect(() => composeDomains([wantsUnknown])).toThrow(
      /lonely.index wants b_happened, which no mounted domain writes/,
    );
    const twice = defineDomain({
      name: 'twice',
      entities: [],
      migrations: [],
      requires: [consuming],
      eventConsumers: [consumer],
    });
    expect(() => composeDomains([twice])).toThrow(
      /Event consumer dependent.index is declared by both consuming and twice/,
    );
    const wantsNothing = defineDomain({
      name: 'idle',
      entities: [],
      migrations: [],
      requires: [base],
      eventConsumers: [{ ...consumer, name: 'idle.none', eventTypes: [] }],
    });
    expect(() => composeDomains([wantsNothing])).toThrow(/idle.none wants no event type/);
  });

  it('gathers event visibility filters by aggregate type and refuses two for one type', () => {
    class WidgetVisibility {}
    const declaring = defineDomain({
      ...dependent,
      eventVisibility: [{ aggregateType: 'widget', filter: WidgetVisibility }],
    });
    const composed = composeDomains([declaring]);
    expect(composed.eventVisibility.get('widget')).toMatchObject({
      filter: WidgetVisibility,
      domain: 'dependent',
    });
    expect(composeDomains([base]).eventVisibility.size).toBe(0);

    const rival = defineDomain({
      name: 'rival',
      entities: [],
      migrations: [],
      requires: [declaring],
      eventVisibility: [{ aggregateType: 'widget', filter: class RivalVisibility {} }],
    });
    expect(() => composeDomains([rival])).toThrow(
      /Event visibility of aggregate type widget is declared by both dependent and rival/,
    );
  });
});
