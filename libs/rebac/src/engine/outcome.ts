/**
 * The value of one evaluation step. Cycles and the depth limit are not "false":
 * like OpenFGA, a cycle is an unknown that only a definite branch can override
 * (Kleene logic), and the top level reads it as "not allowed"; exceeding the
 * depth limit is reported as an error. PENDING means "needs tuples not loaded yet".
 */
export const Outcome = {
  FALSE: 0,
  TRUE: 1,
  CYCLE: 2,
  TOO_DEEP: 3,
  PENDING: 4,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

const { FALSE, TRUE, CYCLE, TOO_DEEP, PENDING } = Outcome;

/** The unknown that wins when no branch is definite: pending > too deep > cycle. */
function unknown(a: Outcome, b: Outcome): Outcome {
  if (a === PENDING || b === PENDING) return PENDING;
  if (a === TOO_DEEP || b === TOO_DEEP) return TOO_DEEP;
  return CYCLE;
}

export function or(a: Outcome, b: Outcome): Outcome {
  if (a === TRUE || b === TRUE) return TRUE;
  if (a === FALSE) return b;
  if (b === FALSE) return a;
  return unknown(a, b);
}

export function and(a: Outcome, b: Outcome): Outcome {
  if (a === FALSE || b === FALSE) return FALSE;
  if (a === TRUE) return b;
  if (b === TRUE) return a;
  return unknown(a, b);
}

export function butNot(base: Outcome, subtract: Outcome): Outcome {
  if (base === FALSE || subtract === TRUE) return FALSE;
  if (subtract === FALSE) return base;
  if (base === TRUE) return subtract;
  return unknown(base, subtract);
}

export function isDefinite(outcome: Outcome): boolean {
  return outcome === TRUE || outcome === FALSE;
}
