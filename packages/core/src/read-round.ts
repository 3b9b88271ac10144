import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a round of background reads keeps for one package (a registry's answers, a clone's
 * fetches), found by the reads inside the round however deep they run.
 */
export interface RoundSlot<T> {
  readonly key: symbol;
  /** Never set: carries the slot's type. */
  readonly type?: T;
}

type Round = Readonly<Record<symbol, unknown>>;

/**
 * One async context for every kind of round: on Node.js 20 each AsyncLocalStorage in use adds
 * its own work to every promise the process makes (its store is copied onto each new promise),
 * and a fleet's observation makes millions of them. Two stores (registry answers, Git fetches)
 * cost about twice what this one does.
 */
const rounds = new AsyncLocalStorage<Round>();

/** A slot of its own; `name` shows in debugging only. */
export function roundSlot<T>(name: string): RoundSlot<T> {
  return { key: Symbol(name) };
}

/** Runs `read` with `slot` holding `value`, the other slots of the round it runs in (if any) kept. */
export function runInRound<T, R>(slot: RoundSlot<T>, value: T, read: () => Promise<R>): Promise<R> {
  return rounds.run({ ...rounds.getStore(), [slot.key]: value }, read);
}

/** What `slot` holds in the round the caller runs in, else `undefined`. */
export function inRound<T>(slot: RoundSlot<T>): T | undefined {
  return rounds.getStore()?.[slot.key] as T | undefined;
}
