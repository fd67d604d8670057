/** What one batch run answers for each job id it was given: a value, or the error for that call. */
export type BatchAnswers<O> = Map<string, O | Error>;

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for job transitions. Calls made in the same event-loop turn, or
 * while the previous batch is still running, are run together by one `run`
 * (one statement, one commit) as soon as that batch finishes: an idle worker pays
 * no extra delay and a busy one pays one round trip and one commit for many jobs.
 * A batch holds each job id at most once; a repeat waits for the next batch and
 * so sees the outcome of the first, exactly as if the calls had run one by one.
 */
export class TransitionBatcher<I extends { id: string }, O> {
  private pending: Array<Pending<I, O>> = [];
  private busy = false;

  constructor(
    private readonly run: (items: I[]) => Promise<BatchAnswers<O>>,
    private readonly maxBatch: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy) return;
    this.busy = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    try {
      const answers = await this.run(batch.map((pending) => pending.item));
      for (const { item, resolve, reject } of batch) {
        const answer = answers.get(item.id);
        if (answer instanceof Error) reject(answer);
        else if (answer === undefined && !answers.has(item.id))
          reject(new Error(`Batch gave no answer for job ${item.id}`));
        else resolve(answer as O);
      }
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
    this.busy = false;
    if (this.pending.length > 0) this.schedule();
  }

  /** Up to maxBatch waiting calls with distinct ids, in arrival order; the rest wait. */
  private take(): Array<Pending<I, O>> {
    const ids = new Set<string>();
    const batch: Array<Pending<I, O>> = [];
    const rest: Array<Pending<I, O>> = [];
    for (const pending of this.pending) {
      if (batch.length < this.maxBatch && !ids.has(pending.item.id)) {
        ids.add(pending.item.id);
        batch.push(pending);
      } else rest.push(pending);
    }
    this.pending = rest;
    return batch;
  }
}
