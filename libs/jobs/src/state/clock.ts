/** Time as the job system sees it: injectable so tests move it instead of sleeping. */
export abstract class JobClock {
  abstract now(): Date;
}

export class SystemJobClock extends JobClock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests set and advance by hand. */
export class ManualJobClock extends JobClock {
  constructor(private current: Date = new Date()) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date): void {
    this.current = new Date(at.getTime());
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
