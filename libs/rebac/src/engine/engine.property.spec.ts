import fc from 'fast-check';
import { DomainError } from '@nexus/core';
import { MemoryTupleLoader } from './memory-tuple-loader';
import { RebacEngine } from './rebac-engine';
import { treeContains } from './expand';
import { Outcome } from './outcome';
import { compileModel } from '../model/model-compiler';
import type { AuthorizationModel, RelationReference, Userset } from '../model/model.types';
import type { CompiledModel } from '../model/compiled-model';
import type { SubjectRef, TupleRow } from '../tuple/tuple.types';
import { formatSubject, toTupleSubject } from '../tuple/tuple.types';

/*
 * For random small models (two object types with a `parent` tupleset and three
 * relations built from this / computed / tuple-to-userset / union /
 * intersection / difference, usersets allowed, so cycles happen) and random
 * tuples: check agrees with list-objects, list-subjects and expand.
 */

const TYPES = ['doc', 'folder'] as const;
const RELATIONS = ['r1', 'r2', 'r3'] as const;
const IDS = ['1', '2', '3'];
const USERS = ['a', 'b', 'c'];

const leaf = (index: number): fc.Arbitrary<Userset> =>
  fc.oneof(
    fc.constant<Userset>({ this: {} }),
    ...(index > 0
      ? [
          fc
            .constantFrom(...RELATIONS.slice(0, index))
            .map<Userset>((relation) => ({ computedUserset: { relation } })),
        ]
      : []),
    fc.constantFrom(...RELATIONS).map<Userset>((relation) => ({
      tupleToUserset: { tupleset: { relation: 'parent' }, computedUserset: { relation } },
    })),
  );

const rewrite = (index: number): fc.Arbitrary<Userset> =>
  fc.oneof(
    { weight: 2, arbitrary: leaf(index) },
    {
      weight: 1,
      arbitrary: fc.tuple(leaf(index), leaf(index)).map<Userset>(([a, b]) => ({ union: { child: [a, b] } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(leaf(index), leaf(index))
        .map<Userset>(([a, b]) => ({ intersection: { child: [a, b] } })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(leaf(index), leaf(index))
        .map<Userset>(([a, b]) => ({ difference: { base: a, subtract: b } })),
    },
  );

const DIRECT_KINDS: RelationReference[] = [
  { type: 'user' },
  { type: 'user', wildcard: {} },
  ...TYPES.flatMap((type) => RELATIONS.map((relation) => ({ type, relation }))),
];

const relationSpec = (index: number) =>
  fc.record({ rewrite: rewrite(index), direct: fc.subarray(DIRECT_KINDS, { minLength: 1, maxLength: 3 }) });

const modelArbitrary: fc.Arbitrary<AuthorizationModel> = fc
  .tuple(...TYPES.map(() => fc.tuple(relationSpec(0), relationSpec(1), relationSpec(2))))
  .map((perType) => ({
    schema_version: '1.1',
    type_definitions: [
      { type: 'user', relations: {}, metadata: null },
      ...TYPES.map((type, t) => {
        const specs = perType[t] ?? [];
        const relations: Record<string, Userset> = { parent: { this: {} } };
        const metadata: Record<string, { directly_related_user_types: RelationReference[] }> = {
          parent: { directly_related_user_types: [{ type: 'folder' }] },
        };
        specs.forEach((spec, i) => {
          const name = RELATIONS[i] as string;
          relations[name] = spec.rewrite;
          if (JSON.stringify(spec.rewrite).includes('"this"'))
            metadata[name] = { directly_related_user_types: spec.direct };
        });
        return { type, relations, metadata: { relations: metadata } };
      }),
    ],
  }));

/** Tuples that fit the model: an allowed subject kind for an assignable relation. */
function tuplesFor(model: CompiledModel): fc.Arbitrary<TupleRow[]> {
  const slots: { type: string; relation: string; kinds: RelationReference[] }[] = [];
  for (const type of TYPES) {
    for (const [name, relation] of model.types.get(type) ?? []) {
      if (relation.assignable)
        slots.push({
          type,
          relation: name,
          kinds: relation.directTypes.map((d) => ({
            type: d.type,
            relation: d.relation,
            wildcard: d.wildcard ? {} : undefined,
          })),
        });
    }
  }
  const row = fc.constantFrom(...slots).chain((slot) =>
    fc
      .record({
        id: fc.constantFrom(...IDS),
        kind: fc.constantFrom(...slot.kinds),
        user: fc.constantFrom(...USERS),
        subjectId: fc.constantFrom(...IDS),
      })
      .map(({ id, kind, user, subjectId }): TupleRow => ({
        objectType: slot.type,
        objectId: id,
        relation: slot.relation,
        subjectType: kind.type,
        subjectId: kind.wildcard ? '*' : kind.type === 'user' ? user : subjectId,
        subjectRelation: kind.relation ?? '',
      })),
  );
  return fc.array(row, { maxLength: 24 });
}

const scenario = modelArbitrary
  .map(compileModel)
  .chain((model) => tuplesFor(model).map((rows) => ({ model, rows })));

async function attempt<T>(work: () => Promise<T>): Promise<T | 'too_complex'> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'RESOLUTION_TOO_COMPLEX') return 'too_complex';
    throw error;
  }
}

describe('engine properties', () => {
  it('check agrees with list-objects, list-subjects and expand for random models and tuples', async () => {
    let granted = 0;
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ model, rows }) => {
        const engine = new RebacEngine(model, new MemoryTupleLoader(rows));
        for (const type of TYPES) {
          for (const relation of RELATIONS) {
            for (const user of USERS) {
              const subject: SubjectRef = { type: 'user', id: user };
              const listed = await attempt(() => engine.listObjects({ type, relation, subject }));
              for (const id of IDS) {
                const allowed = await attempt(() =>
                  engine.check({ object: { type, id }, relation, subject }),
                );
                if (allowed === 'too_complex' || listed === 'too_complex') continue;
                checked++;
                if (allowed) granted++;
                expect(listed.includes(id)).toBe(allowed);
                const tree = await engine.expand({ type, id }, relation);
                expect(treeContains(tree, toTupleSubject(subject)) === Outcome.TRUE).toBe(allowed);
              }
            }
            for (const id of IDS) {
              const listed = await attempt(() =>
                engine.listSubjects({ object: { type, id }, relation, filters: [{ type: 'user' }] }),
              );
              if (listed === 'too_complex') continue;
              const texts = listed.map(formatSubject);
              for (const subject of listed)
                expect(await engine.check({ object: { type, id }, relation, subject })).toBe(true);
              for (const user of USERS) {
                const allowed = await attempt(() =>
                  engine.check({ object: { type, id }, relation, subject: { type: 'user', id: user } }),
                );
                if (allowed === true)
                  expect(texts.includes(`user:${user}`) || texts.includes('user:*')).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: 150 },
    );
    // The generated cases are not trivially all-deny.
    expect(granted).toBeGreaterThan(checked / 200);
    process.stdout.write(`property: ${granted} of ${checked} checks granted\n`);
  }, 60_000);
});
