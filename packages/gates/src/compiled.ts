/**
 * What parsing a gate precompiles (regular expressions, glob matchers, recurrence rules,
 * instants), kept beside the gate rather than in it: a parsed gate stays plain data
 * (JSON, `toEqual`), and evaluation finds its compiled form with one lookup.
 */
const compiledGates = new WeakMap<object, unknown>();

/** Remembers `compiled` for `gate` (a parse's output) and returns `gate`. */
export function remember<T extends object>(gate: T, compiled: unknown): T {
  compiledGates.set(gate, compiled);
  return gate;
}

/** The compiled form remembered for `gate`, if it came from a parse. */
export function recall(gate: object): unknown {
  return compiledGates.get(gate);
}
