import type { NewDomainEvent } from './domain-event';
import { causedBy, createDomainEvent } from './domain-event';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const fileCreated: NewDomainEvent<'file.created', { path: string; size: number }> = {
  type: 'file.created',
  zoneId: 'zone-1',
  aggregateType: 'file',
  aggregateId: 'file-1',
  actor: { type: 'user', id: 'alice' },
  revision: '7',
  payload: { path: '/docs/a.txt', size: 12 },
  causationId: null,
  correlationId: 'req-1',
};

describe('createDomainEvent', () => {
  it('adds a UUID id and the ISO time of the given date, keeping every other field', () => {
    const event = createDomainEvent(fileCreated, new Date('2025-03-04T05:06:07.089Z'));

    expect(event.id).toMatch(UUID_V4);
    expect(event.occurredAt).toBe('2025-03-04T05:06:07.089Z');
    expect(event).toEqual({
      ...fileCreated,
      causationDepth: 0,
      id: event.id,
      occurredAt: '2025-03-04T05:06:07.089Z',
    });
  });

  it('gives every event its own id', () => {
    const ids = new Set(Array.from({ length: 100 }, () => createDomainEvent(fileCreated).id));

    expect(ids.size).toBe(100);
  });

  it('uses the current time when no date is given', () => {
    jest.useFakeTimers({
      now: new Date('2030-01-02T03:04:05.000Z'),
      doNotFake: ['nextTick', 'setImmediate'],
    });
    try {
      expect(createDomainEvent(fileCreated).occurredAt).toBe('2030-01-02T03:04:05.000Z');
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not change the event it was given', () => {
    const input = { ...fileCreated, payload: { ...fileCreated.payload } };

    createDomainEvent(input, new Date(0));

    expect(input).toEqual(fileCreated);
    expect(input).not.toHaveProperty('id');
  });

  it('keeps a system event without zone, actor, revision or request', () => {
    const event = createDomainEvent(
      { ...fileCreated, zoneId: null, actor: null, revision: null, correlationId: null },
      new Date('2025-01-01T00:00:00Z'),
    );

    expect(event).toMatchObject({
      zoneId: null,
      actor: null,
      revision: null,
      correlationId: null,
      occurredAt: '2025-01-01T00:00:00.000Z',
    });
  });

  it('carries a caused event one step deeper than its cause, in the same correlation', () => {
    const cause = createDomainEvent({ ...fileCreated, causationDepth: 2 });
    expect(createDomainEvent({ ...fileCreated, ...causedBy(cause) })).toMatchObject({
      causationId: cause.id,
      causationDepth: 3,
      correlationId: cause.correlationId,
    });
  });
});
