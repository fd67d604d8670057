// A strict five-field cron (minute hour day-of-month month day-of-week), UTC, minute
// resolution. Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, and
// lists of those; no names, no `?`, `L`, `W` or `#`. Day-of-week is 0–6 with 7 also
// Sunday. When both day fields are restricted (neither starts with `*`), a day
// matching either one is enough (POSIX / Vixie cron).

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (a 7 in the expression is stored as 0). */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly daysOfMonthRestricted: boolean;
  readonly daysOfWeekRestricted: boolean;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
];

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function number(text: string, spec: FieldSpec): number {
  if (!/^\d{1,2}$/.test(text)) throw new CronError(`${spec.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronError(`${spec.name}: ${value} is out of range ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new CronError(`${spec.name}: empty list entry in "${text}"`);
    const [range = '', step, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`${spec.name}: "${part}" has more than one step`);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined) throw new CronError(`${spec.name}: "${range}" is not a range a-b`);
      [from, to] = [number(a, spec), number(b, spec)];
      if (from > to) throw new CronError(`${spec.name}: range "${range}" runs backwards`);
    } else {
      if (step !== undefined) throw new CronError(`${spec.name}: a step needs * or a range, not "${part}"`);
      [from, to] = [number(range, spec), number(range, spec)];
    }
    let by = 1;
    if (step !== undefined) {
      if (!/^\d{1,2}$/.test(step) || Number(step) < 1 || Number(step) > spec.max) {
        throw new CronError(`${spec.name}: step "${step}" must be a number from 1 to ${spec.max}`);
      }
      by = Number(step);
    }
    for (let value = from; value <= to; value += by) values.add(value);
  }
  return values;
}

/** Parses a five-field cron expression; throws CronError naming the field at fault. */
export function parseCron(expression: string): CronSchedule {
  if (typeof expression !== 'string') throw new CronError('must be a string');
  const parts = expression.trim().split(/\s+/);
  if (expression.trim() === '' || parts.length !== 5) {
    throw new CronError(
      `must have 5 fields (minute hour day-of-month month day-of-week), not ${expression.trim() === '' ? 0 : parts.length}`,
    );
  }
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = parts;
  const [minutes, hours, daysOfMonth, months, weekdays] = [minute, hour, dayOfMonth, month, dayOfWeek].map(
    (part, index) => parseField(part, FIELDS[index] as FieldSpec),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const daysOfWeek = new Set([...weekdays].map((day) => day % 7));
  const schedule: CronSchedule = {
    expression: parts.join(' '),
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    daysOfMonthRestricted: !dayOfMonth.startsWith('*'),
    daysOfWeekRestricted: !dayOfWeek.startsWith('*'),
  };
  // With the day-of-week unrestricted, e.g. "0 0 30 2 *" would never run: refuse it.
  if (!schedule.daysOfWeekRestricted || !schedule.daysOfMonthRestricted) {
    const possible = [...months].some((m) =>
      [...daysOfMonth].some((day) => day <= (DAYS_IN_MONTH[m - 1] ?? 0)),
    );
    if (!possible) throw new CronError('day-of-month: no month in the expression has such a day');
  }
  return schedule;
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const dom = schedule.daysOfMonth.has(date.getUTCDate());
  const dow = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.daysOfMonthRestricted && schedule.daysOfWeekRestricted) return dom || dow;
  return dom && dow;
}

/** The first time strictly after `after` (UTC, on a whole minute) the schedule fires. */
export function nextCronTime(schedule: CronSchedule, after: Date): Date {
  const start = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  if (!Number.isFinite(start)) throw new CronError('invalid start time');
  const t = new Date(start);
  // Feb 29 on a given weekday recurs within 28 years; anything later never comes.
  const limit = t.getUTCFullYear() + 30;
  while (t.getUTCFullYear() <= limit) {
    if (!schedule.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
    } else if (!schedule.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
    } else if (!schedule.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
    } else {
      return t;
    }
  }
  throw new CronError(`"${schedule.expression}" never fires`);
}
