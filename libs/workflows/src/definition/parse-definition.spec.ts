import { ValidationError } from '@nexus/core';
import { parseWorkflowDefinition } from './parse-definition';
import type { DefinitionContext, WorkflowDefinition } from './workflow-definition';
import { DEFAULT_MAX_RUNS_PER_MINUTE } from './workflow-definition';

const context: DefinitionContext = {
  eventTypes: new Set(['file_write', 'file_delete', 'file_move']),
  jobTypes: new Set(['thumbnail']),
};

const base = {
  name: 'Archive reports',
  trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/reports/**'] },
  actions: [{ type: 'add_tags', tags: ['report'] }],
};

function refusal(input: unknown, options?: { partial?: WorkflowDefinition }): ValidationError {
  try {
    parseWorkflowDefinition(input, context, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('accepted');
}

describe('parseWorkflowDefinition', () => {
  it('fills in the defaults', () => {
    expect(parseWorkflowDefinition(base, context)).toEqual({
      name: 'Archive reports',
      description: null,
      enabled: true,
      trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/reports/**'] },
      conditions: null,
      actions: [{ type: 'add_tags', tags: ['report'] }],
      allowSelfTrigger: false,
      maxRunsPerMinute: DEFAULT_MAX_RUNS_PER_MINUTE,
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a description', { description: 'x'.repeat(2000) }],
    ['a null description', { description: null }],
    ['a 200-character name', { name: 'n'.repeat(200) }],
    ['a name of 200 emoji', { name: '😀'.repeat(200) }],
    ['enabled false', { enabled: false }],
    ['allowSelfTrigger', { allowSelfTrigger: true }],
    ['maxRunsPerMinute 1', { maxRunsPerMinute: 1 }],
    ['maxRunsPerMinute 100000', { maxRunsPerMinute: 100_000 }],
    ['null conditions', { conditions: null }],
    ['an event trigger without globs', { trigger: { kind: 'event', eventTypes: ['file_delete'] } }],
    ['an empty glob list', { trigger: { kind: 'event', eventTypes: ['file_write'], globs: [] } }],
    [
      'actor and debounce',
      {
        trigger: {
          kind: 'event',
          eventTypes: ['file_write', 'file_move'],
          globs: ['/**/*.{md,txt}', '/.hidden/*'],
          actor: 'user:alice@example.com',
          debounceMs: 3_600_000,
        },
      },
    ],
    ['debounce 0', { trigger: { kind: 'event', eventTypes: ['file_write'], debounceMs: 0 } }],
    ['a schedule', { trigger: { kind: 'schedule', cron: '0 9 * * 1-5' } }],
    ['a manual trigger', { trigger: { kind: 'manual' } }],
  ])('accepts %s', (_label, change) => {
    const parsed = parseWorkflowDefinition({ ...base, ...change }, context);
    expect(parsed).toMatchObject(change);
    expect(parseWorkflowDefinition(parsed, context)).toEqual(parsed);
  });

  it.each<[string, unknown, string, RegExp?]>([
    ['a non-object', 'name: x', 'body'],
    ['an array', [base], 'body'],
    ['null', null, 'body'],
    ['an unknown top-level property', { ...base, owner: 'me' }, 'owner', /unknown property "owner"/],
    ['several unknown properties', { ...base, owner: 1, zone: 2 }, 'owner', /"owner", "zone"/],
    ['a missing name', { ...base, name: undefined }, 'name', /is required/],
    ['an empty name', { ...base, name: '' }, 'name', /must not be empty/],
    ['a blank name', { ...base, name: '   ' }, 'name', /blank/],
    ['a long name', { ...base, name: 'n'.repeat(201) }, 'name', /at most 200/],
    ['a numeric name', { ...base, name: 42 }, 'name', /must be a string, not number/],
    ['a long description', { ...base, description: 'd'.repeat(2001) }, 'description', /at most 2000/],
    ['a numeric description', { ...base, description: 1 }, 'description'],
    ['a string enabled', { ...base, enabled: 'true' }, 'enabled', /boolean/],
    ['a null enabled', { ...base, enabled: null }, 'enabled', /boolean, not null/],
    ['a numeric allowSelfTrigger', { ...base, allowSelfTrigger: 1 }, 'allowSelfTrigger'],
    ['maxRunsPerMinute 0', { ...base, maxRunsPerMinute: 0 }, 'maxRunsPerMinute', /between 1 and 100000/],
    ['maxRunsPerMinute too high', { ...base, maxRunsPerMinute: 100_001 }, 'maxRunsPerMinute'],
    ['a fractional maxRunsPerMinute', { ...base, maxRunsPerMinute: 1.5 }, 'maxRunsPerMinute', /integer/],
    ['a string maxRunsPerMinute', { ...base, maxRunsPerMinute: '10' }, 'maxRunsPerMinute', /integer/],
    ['a missing trigger', { ...base, trigger: undefined }, 'trigger', /is required/],
    ['a string trigger', { ...base, trigger: 'manual' }, 'trigger', /must be an object/],
    ['a trigger without kind', { ...base, trigger: {} }, 'trigger.kind', /is required/],
    ['an unknown kind', { ...base, trigger: { kind: 'webhook' } }, 'trigger.kind', /event, schedule, manual/],
    [
      'an unknown trigger property',
      { ...base, trigger: { ...base.trigger, cron: '* * * * *' } },
      'trigger.cron',
      /unknown property/,
    ],
    [
      'manual with extras',
      { ...base, trigger: { kind: 'manual', globs: [] } },
      'trigger.globs',
      /unknown property/,
    ],
    ['missing event types', { ...base, trigger: { kind: 'event' } }, 'trigger.eventTypes', /is required/],
    [
      'empty event types',
      { ...base, trigger: { kind: 'event', eventTypes: [] } },
      'trigger.eventTypes',
      /must not be empty/,
    ],
    [
      'a string event types',
      { ...base, trigger: { kind: 'event', eventTypes: 'file_write' } },
      'trigger.eventTypes',
      /array/,
    ],
    [
      'an unknown event type',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write', 'file_exploded'] } },
      'trigger.eventTypes[1]',
      /"file_exploded" is not an event type/,
    ],
    [
      'a numeric event type',
      { ...base, trigger: { kind: 'event', eventTypes: [1] } },
      'trigger.eventTypes[0]',
    ],
    [
      'a relative glob',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/a/*', 'docs/**'] } },
      'trigger.globs[1]',
      /must start with \//,
    ],
    [
      'an unbalanced glob',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], globs: ['/a/[b'] } },
      'trigger.globs[0]',
      /not a valid path glob/,
    ],
    [
      'an empty glob',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], globs: [''] } },
      'trigger.globs[0]',
    ],
    [
      'a string globs',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], globs: '/a' } },
      'trigger.globs',
    ],
    [
      'a bad actor',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], actor: 'alice' } },
      'trigger.actor',
      /type:id/,
    ],
    [
      'an actor with spaces',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], actor: 'user:a b' } },
      'trigger.actor',
    ],
    [
      'an upper-case actor type',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], actor: 'User:1' } },
      'trigger.actor',
    ],
    [
      'a negative debounce',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], debounceMs: -1 } },
      'trigger.debounceMs',
      /between 0 and 3600000/,
    ],
    [
      'a long debounce',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], debounceMs: 3_600_001 } },
      'trigger.debounceMs',
    ],
    [
      'a fractional debounce',
      { ...base, trigger: { kind: 'event', eventTypes: ['file_write'], debounceMs: 0.5 } },
      'trigger.debounceMs',
    ],
    ['a schedule without cron', { ...base, trigger: { kind: 'schedule' } }, 'trigger.cron', /is required/],
    [
      'a bad cron',
      { ...base, trigger: { kind: 'schedule', cron: '61 * * * *' } },
      'trigger.cron',
      /minute: 61 is out of range/,
    ],
    [
      'a six-field cron',
      { ...base, trigger: { kind: 'schedule', cron: '0 0 * * * *' } },
      'trigger.cron',
      /5 fields/,
    ],
    ['a numeric cron', { ...base, trigger: { kind: 'schedule', cron: 5 } }, 'trigger.cron', /string/],
    ['a missing actions', { ...base, actions: undefined }, 'actions', /is required/],
    ['no actions', { ...base, actions: [] }, 'actions', /must not be empty/],
    [
      'too many actions',
      { ...base, actions: Array.from({ length: 51 }, () => ({ type: 'delete' })) },
      'actions',
      /at most 50/,
    ],
    ['an object actions', { ...base, actions: { type: 'delete' } }, 'actions', /array/],
    ['a string conditions', { ...base, conditions: 'always' }, 'conditions', /object/],
  ])('refuses %s', (...[, input, field, message]) => {
    const error = refusal(input);
    expect(error.code).toBe('INVALID_WORKFLOW');
    expect(error.status).toBe(400);
    expect(error.details).toMatchObject({ field });
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    if (message) expect(error.message).toMatch(message);
  });

  it('lists the known event types and the allowed keys', () => {
    const unknownType = refusal({ ...base, trigger: { kind: 'event', eventTypes: ['nope'] } });
    expect(unknownType.details).toEqual({
      field: 'trigger.eventTypes[0]',
      eventType: 'nope',
      known: ['file_delete', 'file_move', 'file_write'],
    });
    const unknownKey = refusal({ ...base, trigger: { ...base.trigger, globz: [] } });
    expect(unknownKey.details).toMatchObject({
      field: 'trigger.globz',
      unknown: ['globz'],
      allowed: ['kind', 'eventTypes', 'globs', 'actor', 'debounceMs'],
    });
  });

  describe('a PATCH (partial)', () => {
    const current = parseWorkflowDefinition(
      { ...base, description: 'old', enabled: false, maxRunsPerMinute: 5, conditions: { extension: ['md'] } },
      context,
    );

    it('changes only the given fields and keeps the rest', () => {
      const patched = parseWorkflowDefinition({ name: 'Renamed', conditions: null }, context, {
        partial: current,
      });
      expect(patched).toEqual({ ...current, name: 'Renamed', conditions: null });
      expect(parseWorkflowDefinition({}, context, { partial: current })).toEqual(current);
    });

    it('replaces the trigger whole', () => {
      const patched = parseWorkflowDefinition({ trigger: { kind: 'manual' } }, context, { partial: current });
      expect(patched.trigger).toEqual({ kind: 'manual' });
      expect(patched.description).toBe('old');
    });

    it('validates the merged definition and names the field', () => {
      expect(refusal({ maxRunsPerMinute: 0 }, { partial: current }).details).toEqual({
        field: 'maxRunsPerMinute',
      });
      expect(refusal({ owner: 'x' }, { partial: current }).details).toMatchObject({ field: 'owner' });
      expect(refusal({ actions: [] }, { partial: current }).details).toEqual({ field: 'actions' });
      expect(refusal('x', { partial: current }).details).toEqual({ field: 'body' });
    });
  });
});
