import { Outcome, and, butNot, or } from './outcome';

const { FALSE, TRUE, CYCLE, TOO_DEEP, PENDING } = Outcome;

describe('outcome logic (Kleene, unknowns ordered pending > too deep > cycle)', () => {
  it('or: true wins, false is neutral', () => {
    expect(or(TRUE, CYCLE)).toBe(TRUE);
    expect(or(TOO_DEEP, TRUE)).toBe(TRUE);
    expect(or(FALSE, CYCLE)).toBe(CYCLE);
    expect(or(FALSE, FALSE)).toBe(FALSE);
    expect(or(CYCLE, TOO_DEEP)).toBe(TOO_DEEP);
    expect(or(TOO_DEEP, PENDING)).toBe(PENDING);
  });

  it('and: false wins, true is neutral', () => {
    expect(and(FALSE, CYCLE)).toBe(FALSE);
    expect(and(PENDING, FALSE)).toBe(FALSE);
    expect(and(TRUE, CYCLE)).toBe(CYCLE);
    expect(and(TRUE, TRUE)).toBe(TRUE);
    expect(and(CYCLE, PENDING)).toBe(PENDING);
  });

  it('butNot: a false base or a true subtract deny; an unknown subtract leaves the answer unknown', () => {
    expect(butNot(FALSE, CYCLE)).toBe(FALSE);
    expect(butNot(CYCLE, TRUE)).toBe(FALSE);
    expect(butNot(TRUE, FALSE)).toBe(TRUE);
    expect(butNot(TRUE, CYCLE)).toBe(CYCLE);
    expect(butNot(CYCLE, FALSE)).toBe(CYCLE);
    expect(butNot(TRUE, PENDING)).toBe(PENDING);
    expect(butNot(TOO_DEEP, CYCLE)).toBe(TOO_DEEP);
  });
});
