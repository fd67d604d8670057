/** Counts the jobs a bounded run (--once, --max-jobs) may still lease. */
export class JobBudget {
  private reserved = 0;
  private used = 0;

  constructor(readonly limit: number | null) {}

  /** Claims a slot before leasing; false once the budget is spent. */
  tryReserve(): boolean {
    if (this.limit !== null && this.reserved + this.used >= this.limit) return false;
    this.reserved += 1;
    return true;
  }

  /** The lease succeeded: the slot counts. */
  commit(): void {
    this.reserved -= 1;
    this.used += 1;
  }

  /** The lease failed: the slot is free again. */
  cancel(): void {
    this.reserved -= 1;
  }

  get count(): number {
    return this.used;
  }

  get exhausted(): boolean {
    return this.limit !== null && this.used >= this.limit;
  }
}
