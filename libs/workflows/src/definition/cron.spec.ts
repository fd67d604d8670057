import { CronError, nextCronTime, parseCron } from './cron';

function next(expression: string, after: string): string {
  return nextCronTime(parseCron(expression), new Date(after)).toISOString();
}

function times(expression: string, after: string, count: number): string[] {
  const schedule = parseCron(expression);
  const result: string[] = [];
  let at = new Date(after);
  for (let i = 0; i < count; i++) {
    at = nextCronTime(schedule, at);
    result.push(at.toISOString());
  }
  return result;
}

describe('parseCron', () => {
  it.each([
    ['* * * * *'],
    ['0 0 1 1 *'],
    ['*/15 * * * *'],
    ['0 9 * * 1-5'],
    ['0-30/10 1,2,3 1-31/2 */3 0,7'],
    ['  5   4  *  *  7  '],
    ['00 09 01 01 00'],
    ['59 23 31 12 6'],
    ['0 0 29 2 *'],
  ])('accepts %j', (expression) => {
    expect(() => parseCron(expression)).not.toThrow();
  });

  it.each([
    ['', /5 fields/],
    ['* * * *', /5 fields .*, not 4$/],
    ['* * * * * *', /5 fields .*, not 6$/],
    ['60 * * * *', /^minute: 60 is out of range 0-59/],
    ['* 24 * * *', /^hour: 24 is out of range/],
    ['* * 0 * *', /^day-of-month: 0 is out of range 1-31/],
    ['* * 32 * *', /^day-of-month/],
    ['* * * 0 *', /^month: 0 is out of range 1-12/],
    ['* * * 13 *', /^month/],
    ['* * * * 8', /^day-of-week: 8 is out of range 0-7/],
    ['a * * * *', /^minute: "a" is not a number/],
    ['* * * JAN *', /^month: "JAN" is not a number/],
    ['* * * * MON', /^day-of-week/],
    ['-1 * * * *', /^minute/],
    ['5-1 * * * *', /runs backwards/],
    ['1-2-3 * * * *', /not a range/],
    ['*/0 * * * *', /step "0"/],
    ['*/60 * * * *', /step "60"/],
    ['*/x * * * *', /step "x"/],
    ['5/2 * * * *', /a step needs \* or a range/],
    ['*/2/3 * * * *', /more than one step/],
    ['1,,2 * * * *', /empty list entry/],
    ['1, * * * *', /empty list entry/],
    ['? * * * *', /^minute/],
    ['L * * * *', /^minute/],
    ['* * 1.5 * *', /^day-of-month/],
    ['0 0 30 2 *', /no month in the expression has such a day/],
    ['0 0 31 4,6,9,11 *', /no month/],
  ])('refuses %j', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(message);
  });

  it('stores 7 as Sunday and knows which day fields are restricted', () => {
    const schedule = parseCron('0 0 * * 7');
    expect([...schedule.daysOfWeek]).toEqual([0]);
    expect(schedule.daysOfWeekRestricted).toBe(true);
    expect(schedule.daysOfMonthRestricted).toBe(false);
    expect(parseCron('0 0 */2 * *').daysOfMonthRestricted).toBe(false);
    expect([...parseCron('*/15 * * * *').minutes]).toEqual([0, 15, 30, 45]);
    expect([...parseCron('10-20/5 * * * *').minutes]).toEqual([10, 15, 20]);
  });

  it('allows 30 February when a day-of-week makes it fire (either day field is enough)', () => {
    expect(next('0 0 30 2 1', '2026-01-01T00:00:00Z')).toBe('2026-02-02T00:00:00.000Z');
  });
});

describe('nextCronTime', () => {
  it('is strictly after the given time, on a whole minute', () => {
    expect(next('* * * * *', '2026-03-01T10:00:00Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('* * * * *', '2026-03-01T10:00:59.999Z')).toBe('2026-03-01T10:01:00.000Z');
    expect(next('30 10 * * *', '2026-03-01T10:30:00Z')).toBe('2026-03-02T10:30:00.000Z');
  });

  it('runs */15 every quarter hour across the hour and day', () => {
    expect(times('*/15 * * * *', '2026-12-31T23:20:00Z', 4)).toEqual([
      '2026-12-31T23:30:00.000Z',
      '2026-12-31T23:45:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-01-01T00:15:00.000Z',
    ]);
  });

  it('runs 0 9 * * 1-5 on weekdays only', () => {
    // 2026-12-04 is a Friday.
    expect(times('0 9 * * 1-5', '2026-12-04T08:00:00Z', 3)).toEqual([
      '2026-12-04T09:00:00.000Z',
      '2026-12-07T09:00:00.000Z',
      '2026-12-08T09:00:00.000Z',
    ]);
    expect(next('0 9 * * 1-5', '2026-12-04T09:00:00Z')).toBe('2026-12-07T09:00:00.000Z');
  });

  it('crosses month and year ends', () => {
    expect(next('0 0 1 * *', '2026-01-31T12:00:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(next('0 0 1 1 *', '2026-06-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('59 23 31 12 *', '2026-12-31T23:59:00Z')).toBe('2027-12-31T23:59:00.000Z');
    expect(next('0 12 31 * *', '2026-04-01T00:00:00Z')).toBe('2026-05-31T12:00:00.000Z');
    expect(times('0 0 31 * *', '2027-01-31T00:00:00Z', 3)).toEqual([
      '2027-03-31T00:00:00.000Z',
      '2027-05-31T00:00:00.000Z',
      '2027-07-31T00:00:00.000Z',
    ]);
  });

  it('finds 29 February in the next leap year', () => {
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2028-02-29T00:00:00Z')).toBe('2032-02-29T00:00:00.000Z');
  });

  it('fires when either the day of month or the day of week matches, when both are restricted', () => {
    // The 13th, or any Friday. 2026-11-13 is a Friday; 2026-12-04 is a Friday.
    expect(times('0 0 13 * 5', '2026-12-01T00:00:00Z', 4)).toEqual([
      '2026-12-04T00:00:00.000Z',
      '2026-12-11T00:00:00.000Z',
      '2026-12-13T00:00:00.000Z',
      '2026-12-18T00:00:00.000Z',
    ]);
  });

  it('needs both when one day field starts with * (*/n counts as unrestricted)', () => {
    // Odd days that are Mondays. 2026-12-07 is a Monday (odd), 2026-12-14 even, 2026-12-21 odd.
    expect(times('0 0 */2 * 1', '2026-12-01T00:00:00Z', 2)).toEqual([
      '2026-12-07T00:00:00.000Z',
      '2026-12-21T00:00:00.000Z',
    ]);
    // Only Sundays (7 = 0). 2026-12-06 is a Sunday.
    expect(next('0 8 * * 7', '2026-12-04T00:00:00Z')).toBe('2026-12-06T08:00:00.000Z');
  });

  it('uses lists and ranged steps in every field', () => {
    expect(times('0,30 8-10/2 * * *', '2026-05-05T07:00:00Z', 5)).toEqual([
      '2026-05-05T08:00:00.000Z',
      '2026-05-05T08:30:00.000Z',
      '2026-05-05T10:00:00.000Z',
      '2026-05-05T10:30:00.000Z',
      '2026-05-06T08:00:00.000Z',
    ]);
    expect(next('0 0 1 */3 *', '2026-02-10T00:00:00Z')).toBe('2026-04-01T00:00:00.000Z');
  });
});
