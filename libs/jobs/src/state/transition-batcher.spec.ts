import { TransitionBatcher } from './transition-batcher';
import type { BatchAnswers } from './transition-batcher';

interface Item {
  id: string;
  value: number;
}

interface RecordingRunner {
  batches: string[][];
  run(items: Item[]): Promise<BatchAnswers<number>>;
  /** Holds the batches that start from now on until release(), to pile calls up behind a running batch. */
  hold(): void;
  release(): void;
}

/** A batch runner that records each batch and answers `value * 10`, or an error for negative values. */
function recordingRunner(): RecordingRunner {
  const batches: string[][] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  return {
    batches,
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release: () => open(),
    run: async (items) => {
      batches.push(items.map((item) => item.id));
      await gate;
      const answers: BatchAnswers<number> = new Map();
      for (const item of items)
        answers.set(item.id, item.value < 0 ? new Error(`negative ${item.id}`) : item.value * 10);
      return answers;
    },
  };
}

describe('TransitionBatcher', () => {
  it('runs calls of one event-loop turn as one batch and answers each', async () => {
    const runner = recordingRunner();
    const batcher = new TransitionBatcher(runner.run, 10);
    const answers = await Promise.all([1, 2, 3].map((n) => batcher.submit({ id: `j${n}`, value: n })));
    expect(answers).toEqual([10, 20, 30]);
    expect(runner.batches).toEqual([['j1', 'j2', 'j3']]);
  });

  it('collects calls made while a batch runs into the next one, at most maxBatch per batch', async () => {
    const runner = recordingRunner();
    const batcher = new TransitionBatcher(runner.run, 2);
    runner.hold();
    const first = batcher.submit({ id: 'a', value: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    const later = ['b', 'c', 'd'].map((id, i) => batcher.submit({ id, value: i + 2 }));
    runner.release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(runner.batches).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('puts a repeated job id in the next batch, so the repeat sees the first call’s outcome', async () => {
    const runner = recordingRunner();
    const batcher = new TransitionBatcher(runner.run, 10);
    await Promise.all([
      batcher.submit({ id: 'x', value: 1 }),
      batcher.submit({ id: 'x', value: 2 }),
      batcher.submit({ id: 'y', value: 3 }),
    ]);
    expect(runner.batches).toEqual([['x', 'y'], ['x']]);
  });

  it('rejects only the call whose answer is an error, and every call of a batch that throws', async () => {
    const runner = recordingRunner();
    const batcher = new TransitionBatcher(runner.run, 10);
    const results = await Promise.allSettled([
      batcher.submit({ id: 'ok', value: 1 }),
      batcher.submit({ id: 'bad', value: -1 }),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 10 });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: new Error('negative bad') });

    const failing = new TransitionBatcher<Item, number>(() => Promise.reject(new Error('database down')), 10);
    const all = await Promise.allSettled([
      failing.submit({ id: 'p', value: 1 }),
      failing.submit({ id: 'q', value: 2 }),
    ]);
    expect(all.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('resolves a null answer and rejects a call the batch did not answer', async () => {
    const batcher = new TransitionBatcher<Item, number | null>(
      async (items) => new Map([[items[0]?.id ?? '', null]]),
      10,
    );
    const results = await Promise.allSettled([
      batcher.submit({ id: 'answered', value: 1 }),
      batcher.submit({ id: 'forgotten', value: 2 }),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: null });
    expect(results[1]).toMatchObject({
      status: 'rejected',
      reason: new Error('Batch gave no answer for job forgotten'),
    });
  });
});
