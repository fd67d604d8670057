import fc from 'fast-check';
import { reciprocalRankFusion, RRF_K } from './rank-fusion';

type Fused = Array<{ id: string; score: number }>;

describe('reciprocalRankFusion', () => {
  it('uses the usual constant', () => {
    expect(RRF_K).toBe(60);
  });

  // Hand-computed with score(id) = Σ 1 / (k + rank), rank from 1.
  it.each<[string, string[][], number | undefined, Fused]>([
    [
      'two lists, ids in one or both',
      [
        ['a', 'b', 'c'],
        ['b', 'c', 'd'],
      ],
      undefined,
      [
        { id: 'b', score: 1 / 62 + 1 / 61 }, // 0.0325225
        { id: 'c', score: 1 / 63 + 1 / 62 }, // 0.0320020
        { id: 'a', score: 1 / 61 }, // 0.0163934
        { id: 'd', score: 1 / 63 }, // 0.0158730
      ],
    ],
    [
      'one list keeps its order',
      [['x', 'y', 'z']],
      undefined,
      [
        { id: 'x', score: 1 / 61 },
        { id: 'y', score: 1 / 62 },
        { id: 'z', score: 1 / 63 },
      ],
    ],
    [
      // A repeat counts at its first position only, and still takes up a rank.
      'duplicates inside one list',
      [['x', 'x', 'y', 'x']],
      undefined,
      [
        { id: 'x', score: 1 / 61 },
        { id: 'y', score: 1 / 63 },
      ],
    ],
    [
      'a duplicate in one list, present in another',
      [['p', 'q', 'p'], ['q']],
      undefined,
      [
        { id: 'q', score: 1 / 62 + 1 / 61 },
        { id: 'p', score: 1 / 61 },
      ],
    ],
    [
      // k = 1: a at ranks 3 and 3 → 1/4 + 1/4 = 0.5; b and c at rank 1 → 1/2. All tie;
      // b and c reached rank 1, a only rank 3; b before c by id.
      'ties: best rank first, then id',
      [
        ['c', 'x', 'a'],
        ['b', 'y', 'a'],
      ],
      1,
      [
        { id: 'b', score: 0.5 },
        { id: 'c', score: 0.5 },
        { id: 'a', score: 0.5 },
        { id: 'x', score: 1 / 3 },
        { id: 'y', score: 1 / 3 },
      ],
    ],
    [
      'custom k',
      [['a'], ['b', 'a']],
      0,
      [
        { id: 'a', score: 1 + 1 / 2 },
        { id: 'b', score: 1 },
      ],
    ],
    ['no rankings', [], undefined, []],
    ['only empty rankings', [[], []], undefined, []],
  ])('%s', (_, rankings, k, expected) => {
    const fused = reciprocalRankFusion(rankings, k);
    expect(fused.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    fused.forEach((r, i) => expect(r.score).toBeCloseTo(expected[i]!.score, 12));
  });

  it('gives ids at the same ranks in different lists exactly equal scores, so the id decides', () => {
    // z: ranks 1, 2, 3; a: ranks 2, 3, 1 — mathematically equal sums, added in another order.
    const fused = reciprocalRankFusion([
      ['z', 'a', 'm'],
      ['n', 'z', 'a'],
      ['a', 'o', 'z'],
    ]);
    const [first, second] = fused;
    expect([first?.id, second?.id]).toEqual(['a', 'z']);
    expect(first?.score).toBe(second?.score);
  });

  it('does not change its input', () => {
    const rankings = [['b', 'a'], ['a']];
    reciprocalRankFusion(rankings);
    expect(rankings).toEqual([['b', 'a'], ['a']]);
  });

  const rankings = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 8 }), {
    maxLength: 4,
  });

  it('matches the definition and is sorted, for any rankings', () => {
    fc.assert(
      fc.property(rankings, fc.integer({ min: 0, max: 100 }), (lists: string[][], k) => {
        const fused = reciprocalRankFusion(lists, k);
        const ids = new Set(lists.flat());
        expect(fused.map((r) => r.id).sort()).toEqual([...ids].sort());
        for (const { id, score } of fused) {
          const expected = lists.reduce((sum, list) => {
            const index = list.indexOf(id);
            return index < 0 ? sum : sum + 1 / (k + index + 1);
          }, 0);
          expect(score).toBeCloseTo(expected, 12);
        }
        for (let i = 1; i < fused.length; i++) {
          expect(fused[i]!.score).toBeLessThanOrEqual(fused[i - 1]!.score);
        }
      }),
    );
  });
});
